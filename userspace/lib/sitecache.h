/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The site-table cache: decoded tables stored in opts->cache_dir as
 * BUILDID-OPTSHASH.sites, so attaching to the same binary again (a
 * restarted service) skips the decode.  A file whose build-id, option
 * hash or site size does not match its header is ignored and rewritten.
 */
#ifndef RT_SITECACHE_H
#define RT_SITECACHE_H

#include <stddef.h>
#include <uapi/linux/racetrap.h>

#include "sites.h"

/* 0 and a malloc'ed table, or -1 (no cache, miss, or a stale file). */
int rt_sitecache_load(const struct rt_sites_opts *opts, const char *build_id,
		      struct racetrap_site **sites, size_t *nr);

/* Best effort: a cache that cannot be written is not an error. */
void rt_sitecache_store(const struct rt_sites_opts *opts,
			const char *build_id,
			const struct racetrap_site *sites, size_t nr);

#endif /* RT_SITECACHE_H */
