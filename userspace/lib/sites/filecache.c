// SPDX-License-Identifier: GPL-2.0
/* filecache: content derived from a file, on disk, keyed by its identity. */
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filecache.h"
#include "fnv.h"

#define CACHE_MAGIC	"RTCACHE3"

/*
 * The file the content was derived from, not only its build-id: anyone
 * can give a binary of theirs the build-id of another, and a root
 * racetrapd that decoded theirs first would then sample the other by
 * their table (at offsets that are not its instructions, with operands
 * it does not have).  ctime cannot be set from userspace, so a replaced
 * or rewritten file misses too.
 */
struct file_identity {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
};

struct cache_header {
	char magic[8];
	char kind[8];
	uint32_t version;
	uint32_t elem_size;
	char build_id[48];
	uint64_t extra;
	struct file_identity file;
	uint64_t nr;
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

/* One file per (build-id, file, options, kind): two copies do not evict. */
static int cache_path(const struct rt_filecache_key *k,
		      const struct file_identity *id, char *buf, size_t len)
{
	uint64_t key;
	int n;

	if (!k->dir || !k->build_id || !*k->build_id ||
	    strlen(k->kind) >= sizeof(((struct cache_header *)0)->kind))
		return -1;
	key = rt_fnv1a(k->extra, id, sizeof(*id));
	n = snprintf(buf, len, "%s/%s-%016" PRIx64 ".%s", k->dir,
		     k->build_id, key, k->kind);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void fill_header(struct cache_header *h, const struct rt_filecache_key *k,
			const struct file_identity *id, size_t elem_size,
			size_t nr)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, CACHE_MAGIC, sizeof(h->magic));
	snprintf(h->kind, sizeof(h->kind), "%s", k->kind);
	h->version = k->version;
	h->elem_size = (uint32_t)elem_size;
	snprintf(h->build_id, sizeof(h->build_id), "%s", k->build_id);
	h->extra = k->extra;
	h->file = *id;
	h->nr = nr;
}

int rt_filecache_load(const struct rt_filecache_key *k, const struct stat *st,
		      size_t elem_size, size_t max_nr, void **data,
		      size_t *nr)
{
	struct cache_header want, got;
	struct file_identity id;
	char path[4096];
	size_t bytes;
	void *v;
	FILE *f;

	file_identity(st, &id);
	if (cache_path(k, &id, path, sizeof(path)))
		return -1;
	f = fopen(path, "rbe");
	if (!f)
		return -1;
	fill_header(&want, k, &id, elem_size, 0);
	if (fread(&got, sizeof(got), 1, f) != 1 ||
	    memcmp(&got, &want, offsetof(struct cache_header, nr)) ||
	    got.nr > max_nr) {
		fclose(f);
		return -1;
	}
	bytes = (size_t)got.nr * elem_size;
	v = malloc(bytes ? bytes : 1);
	if (!v || (bytes && fread(v, bytes, 1, f) != 1)) {
		free(v);
		fclose(f);
		return -1;
	}
	fclose(f);
	*data = v;
	*nr = got.nr;
	return 0;
}

void rt_filecache_store(const struct rt_filecache_key *k,
			const struct stat *st, size_t elem_size,
			const void *data, size_t nr)
{
	struct file_identity id;
	struct cache_header h;
	char path[4096], tmp[4200];
	FILE *f;
	bool ok;

	file_identity(st, &id);
	if (cache_path(k, &id, path, sizeof(path)))
		return;
	mkdir(k->dir, 0700);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	f = fopen(tmp, "wbxe");
	if (!f)
		return;
	fill_header(&h, k, &id, elem_size, nr);
	ok = fwrite(&h, sizeof(h), 1, f) == 1 &&
	     (!nr || fwrite(data, nr * elem_size, 1, f) == 1);
	ok = (fclose(f) == 0) && ok;
	/* Readers see the old file or the whole new one, never a part. */
	if (!ok || rename(tmp, path))
		unlink(tmp);
}
