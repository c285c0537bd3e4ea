/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The site-table cache: decoded tables stored in opts->cache_dir as
 * BUILDID-KEY.sites (KEY hashes the options and the file's identity), so
 * attaching to the same binary again (a restarted service, a second
 * process) skips the decode.  A file whose build-id, options, file
 * identity (device, inode, size, mtime, ctime) or site size does not
 * match its header is ignored and rewritten.
 */
#ifndef RT_SITECACHE_H
#define RT_SITECACHE_H

#include <stddef.h>
#include <sys/stat.h>
#include <uapi/linux/racetrap.h>

#include "sites.h"

/* 0 and a malloc'ed table, or -1 (no cache, miss, or a stale file). */
/* @st: fstat() of the file the table is decoded from. */
int rt_sitecache_load(const struct rt_sites_opts *opts, const char *build_id,
		      const struct stat *st, struct racetrap_site **sites,
		      size_t *nr);

/* Best effort: a cache that cannot be written is not an error. */
void rt_sitecache_store(const struct rt_sites_opts *opts,
			const char *build_id, const struct stat *st,
			const struct racetrap_site *sites, size_t nr);

#endif /* RT_SITECACHE_H */
