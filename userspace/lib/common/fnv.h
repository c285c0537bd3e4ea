/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FNV-1a 64: the hash of race fingerprints, of code without a build-id
 * and of the site cache's keys.  Fingerprints are compared across hosts
 * and runs, so the hash is fixed by its published definition.
 */
#ifndef RT_FNV_H
#define RT_FNV_H

#include <stddef.h>
#include <stdint.h>

#define RT_FNV_OFFSET	0xcbf29ce484222325ULL
#define RT_FNV_PRIME	0x100000001b3ULL

/* FNV-1a 64 of @n bytes, continuing from @h (start with RT_FNV_OFFSET). */
uint64_t rt_fnv1a(uint64_t h, const void *p, size_t n);

#endif /* RT_FNV_H */
