// SPDX-License-Identifier: GPL-2.0
/* sitecache: decoded site tables on disk, keyed by build-id and options. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fnv.h"
#include <stdbool.h>
#include "sitecache.h"

#define CACHE_MAGIC	"RTSITES2"

/*
 * Bump when the decoder's choices change (which instructions are sites,
 * which flags they carry), so tables decoded by an older racetrap are not
 * reused.
 */
#define CACHE_DECODER_VERSION	8

/*
 * The file a table was decoded from, not only its build-id: anyone can
 * give a binary of theirs the build-id of another, and a root racetrapd
 * that decoded theirs first would then sample the other by their table
 * (at offsets that are not its instructions, with operands it does not
 * have).  ctime cannot be set from userspace, so a replaced or rewritten
 * file misses too.
 */
struct file_identity {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
};

struct cache_header {
	char magic[8];
	uint32_t decoder_version;
	uint32_t site_size;
	char build_id[48];
	uint64_t opts_hash;
	struct file_identity file;
	uint64_t nr_sites;
};

static void file_identity(const struct stat *st, struct file_identity *id)
{
	memset(id, 0, sizeof(*id));
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = (uint64_t)st->st_size;
	id->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
		       st->st_mtim.tv_nsec;
	id->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 +
		       st->st_ctim.tv_nsec;
}

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

/* One file per (build-id, file, options): two copies do not evict. */
static int cache_path(const struct rt_sites_opts *o, const char *build_id,
		      const struct file_identity *id, char *buf, size_t len)
{
	uint64_t key;
	int n;

	if (!o || !o->cache_dir || !build_id || !*build_id)
		return -1;
	key = rt_fnv1a(opts_hash(o), id, sizeof(*id));
	n = snprintf(buf, len, "%s/%s-%016" PRIx64 ".sites", o->cache_dir,
		     build_id, key);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void fill_header(struct cache_header *h, const struct rt_sites_opts *o,
			const char *build_id, const struct file_identity *id,
			size_t nr)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, CACHE_MAGIC, sizeof(h->magic));
	h->decoder_version = CACHE_DECODER_VERSION;
	h->site_size = sizeof(struct racetrap_site);
	snprintf(h->build_id, sizeof(h->build_id), "%s", build_id);
	h->opts_hash = opts_hash(o);
	h->file = *id;
	h->nr_sites = nr;
}

int rt_sitecache_load(const struct rt_sites_opts *opts, const char *build_id,
		      const struct stat *st, struct racetrap_site **sites,
		      size_t *nr)
{
	struct cache_header want, got;
	struct file_identity id;
	struct racetrap_site *v;
	char path[4096];
	size_t bytes;
	FILE *f;

	file_identity(st, &id);
	if (cache_path(opts, build_id, &id, path, sizeof(path)))
		return -1;
	f = fopen(path, "rbe");
	if (!f)
		return -1;
	fill_header(&want, opts, build_id, &id, 0);
	if (fread(&got, sizeof(got), 1, f) != 1 ||
	    memcmp(got.magic, want.magic, sizeof(want.magic)) ||
	    got.decoder_version != want.decoder_version ||
	    got.site_size != want.site_size ||
	    strcmp(got.build_id, want.build_id) ||
	    got.opts_hash != want.opts_hash ||
	    memcmp(&got.file, &want.file, sizeof(want.file)) ||
	    got.nr_sites > RACETRAP_MAX_SITES) {
		fclose(f);
		return -1;
	}
	bytes = (size_t)got.nr_sites * sizeof(*v);
	v = malloc(bytes ? bytes : 1);
	if (!v || (bytes && fread(v, bytes, 1, f) != 1)) {
		free(v);
		fclose(f);
		return -1;
	}
	fclose(f);
	*sites = v;
	*nr = got.nr_sites;
	return 0;
}

void rt_sitecache_store(const struct rt_sites_opts *opts,
			const char *build_id, const struct stat *st,
			const struct racetrap_site *sites, size_t nr)
{
	struct file_identity id;
	struct cache_header h;
	char path[4096], tmp[4200];
	FILE *f;
	bool ok;

	file_identity(st, &id);
	if (cache_path(opts, build_id, &id, path, sizeof(path)))
		return;
	mkdir(opts->cache_dir, 0700);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	f = fopen(tmp, "wbxe");
	if (!f)
		return;
	fill_header(&h, opts, build_id, &id, nr);
	ok = fwrite(&h, sizeof(h), 1, f) == 1 &&
	     (!nr || fwrite(sites, nr * sizeof(*sites), 1, f) == 1);
	ok = (fclose(f) == 0) && ok;
	/* Readers see the old file or the whole new one, never a part. */
	if (!ok || rename(tmp, path))
		unlink(tmp);
}
