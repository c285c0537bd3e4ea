/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Race fingerprints: a race is the unordered pair of the code sites of its
 * two accesses, each named "BUILDID+0xFILEOFFSET".  Neither load address
 * nor the order in which the two sides were caught changes the name, so
 * the fingerprint is the same across runs, hosts and ASLR.
 */
#ifndef RT_FINGERPRINT_H
#define RT_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "fnv.h"

#define RT_SITE_NAME_MAX	64	/* "buildid+0xoffset" */
#define RT_FINGERPRINT_LEN	17	/* 16 hex digits + NUL */

/* "BUILDID+0xOFFSET"; an empty @build_id names the site "?+0xOFFSET". */
void rt_site_name(char out[RT_SITE_NAME_MAX], const char *build_id,
		  uint64_t offset);

/*
 * FNV-1a 64 over the two site names sorted bytewise, separated by a NUL,
 * as 16 lower-case hex digits.  @b may be NULL (one-sided events such as
 * an unseen writer): then only @a is hashed, followed by "|unseen".
 */
uint64_t rt_fingerprint(const char *a, const char *b);
void rt_fingerprint_hex(uint64_t fp, char out[RT_FINGERPRINT_LEN]);

#endif /* RT_FINGERPRINT_H */
