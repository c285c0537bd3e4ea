// SPDX-License-Identifier: GPL-2.0
/* fingerprint: the stable name of a race, from its two code sites. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fingerprint.h"

void rt_site_name(char out[RT_SITE_NAME_MAX], const char *build_id,
		  uint64_t offset)
{
	snprintf(out, RT_SITE_NAME_MAX, "%s+0x%" PRIx64,
		 build_id && *build_id ? build_id : "?", offset);
}

uint64_t rt_fingerprint(const char *a, const char *b)
{
	static const char unseen[] = "|unseen";
	uint64_t h = RT_FNV_OFFSET;

	if (!b)
		return rt_fnv1a(rt_fnv1a(h, a, strlen(a)), unseen,
				sizeof(unseen) - 1);
	if (strcmp(a, b) > 0) {
		const char *t = a;

		a = b;
		b = t;
	}
	h = rt_fnv1a(h, a, strlen(a) + 1);	/* the NUL separates them */
	return rt_fnv1a(h, b, strlen(b));
}

void rt_fingerprint_hex(uint64_t fp, char out[RT_FINGERPRINT_LEN])
{
	snprintf(out, RT_FINGERPRINT_LEN, "%016" PRIx64, fp);
}
