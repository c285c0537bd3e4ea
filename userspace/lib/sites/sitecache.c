// SPDX-License-Identifier: GPL-2.0
/* sitecache: decoded site tables on disk, keyed by file and options. */
#include <string.h>

#include "filecache.h"
#include "fnv.h"
#include "sitecache.h"

/*
 * Bump when the decoder's choices change (which instructions are sites,
 * which flags they carry), so tables decoded by an older racetrap are not
 * reused.
 */
#define CACHE_DECODER_VERSION	12

static uint64_t hash_strs(uint64_t h, const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = rt_fnv1a(h, v[i], strlen(v[i]) + 1);
	return rt_fnv1a(h, "|", 1);
}

/* The options that change which sites a table holds. */
static uint64_t opts_hash(const struct rt_sites_opts *o)
{
	uint64_t h = RT_FNV_OFFSET;
	char keep = o->keep_runtime ? 'k' : '-';

	h = rt_fnv1a(h, &keep, 1);
	h = hash_strs(h, o->include_funcs, o->nr_include_funcs);
	return hash_strs(h, o->exclude_funcs, o->nr_exclude_funcs);
}

static void table_key(const struct rt_sites_opts *o, const char *build_id,
		      struct rt_filecache_key *k)
{
	memset(k, 0, sizeof(*k));
	k->dir = o ? o->cache_dir : NULL;
	k->kind = "sites";
	k->version = CACHE_DECODER_VERSION;
	k->build_id = build_id;
	if (o)
		k->extra = opts_hash(o);
}

int rt_sitecache_load(const struct rt_sites_opts *opts, const char *build_id,
		      const struct stat *st, struct racetrap_site **sites,
		      size_t *nr)
{
	struct rt_filecache_key k;
	void *v;

	table_key(opts, build_id, &k);
	if (rt_filecache_load(&k, st, sizeof(**sites), RACETRAP_MAX_SITES,
			      &v, nr))
		return -1;
	*sites = v;
	return 0;
}

void rt_sitecache_store(const struct rt_sites_opts *opts,
			const char *build_id, const struct stat *st,
			const struct racetrap_site *sites, size_t nr)
{
	struct rt_filecache_key k;

	table_key(opts, build_id, &k);
	rt_filecache_store(&k, st, sizeof(*sites), sites, nr);
}
