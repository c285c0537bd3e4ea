/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filecache: what racetrap derives from a mapped file (its decoded site
 * table, a Go executable's runtime.g offsets), kept in a cache directory
 * as BUILDID-KEY.KIND (BUILDID: rt_build_id() or another name of the
 * content) so that attaching to the same binary again (a
 * restarted service, a second process) derives nothing.  KEY hashes the
 * file's identity (device, inode, size, mtime, ctime) and whatever else
 * the content depends on; a file whose header does not match what is
 * asked for is ignored and rewritten.
 */
#ifndef RT_FILECACHE_H
#define RT_FILECACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct rt_filecache_key {
	const char *dir;	/* NULL: no cache */
	const char *kind;	/* file suffix, up to 7 characters */
	uint32_t version;	/* bumped when the derivation changes */
	const char *build_id;	/* rt_build_id() or another name of the
				 * content; "" = no cache */
	uint64_t extra;		/* the options the content depends on */
};

/*
 * 0 and a malloc'ed array of @nr elements of @elem_size bytes (at most
 * @max_nr), or -1: no cache, a miss, or a stale file.  @st: fstat() of
 * the file the content was derived from.
 */
int rt_filecache_load(const struct rt_filecache_key *k, const struct stat *st,
		      size_t elem_size, size_t max_nr, void **data,
		      size_t *nr);

/* Best effort: a cache that cannot be written is not an error. */
void rt_filecache_store(const struct rt_filecache_key *k,
			const struct stat *st, size_t elem_size,
			const void *data, size_t nr);

#endif /* RT_FILECACHE_H */
