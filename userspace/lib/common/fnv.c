// SPDX-License-Identifier: GPL-2.0
/* fnv: the FNV-1a 64 hash. */
#include "fnv.h"

uint64_t rt_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= RT_FNV_PRIME;
	}
	return h;
}
