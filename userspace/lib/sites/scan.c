// SPDX-License-Identifier: GPL-2.0
/*
 * scan: walk a process's executable mappings, pick the sampling universe
 * (the main executable, plus --modules globs), decode each new file once.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maps.h"
#include "sites.h"

struct file_id {
	uint64_t dev, ino;
};

struct rt_sites_seen {
	struct file_id *v;
	size_t n, cap;
};

struct rt_sites_seen *rt_sites_seen_new(void)
{
	return calloc(1, sizeof(struct rt_sites_seen));
}

void rt_sites_seen_free(struct rt_sites_seen *seen)
{
	if (!seen)
		return;
	free(seen->v);
	free(seen);
}

static bool seen_has(const struct rt_sites_seen *s, uint64_t dev, uint64_t ino)
{
	if (!s)
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].dev == dev && s->v[i].ino == ino)
			return true;
	return false;
}

static int seen_add(struct rt_sites_seen *s, uint64_t dev, uint64_t ino)
{
	if (!s)
		return 0;	/* no memory of past scans wanted */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct file_id *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].dev = dev;
	s->v[s->n].ino = ino;
	s->n++;
	return 0;
}

static bool module_selected(const struct rt_sites_opts *o,
			    const struct rt_mapping *m, bool is_exe)
{
	const char *base = strrchr(m->path, '/');

	if (is_exe)
		return true;
	base = base ? base + 1 : m->path;
	for (size_t i = 0; o && i < o->nr_modules; i++)
		if (!fnmatch(o->modules[i], m->path, 0) ||
		    !fnmatch(o->modules[i], base, 0))
			return true;
	return false;
}

int rt_sites_scan(pid_t pid, const struct rt_sites_opts *opts,
		  struct rt_sites_seen *seen, rt_sites_cb cb, void *arg,
		  char *err, size_t errlen)
{
	struct rt_mapping *maps;
	char link[64], exe[PATH_MAX];
	dev_t exe_dev = 0;
	ino_t exe_ino = 0;
	ssize_t n;
	size_t nr;
	int ret;

	ret = rt_maps_read(pid, &maps, &nr);
	if (ret) {
		snprintf(err, errlen, "cannot read /proc/%d/maps: %s", (int)pid,
			 strerror(-ret));
		return ret;
	}
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	rt_maps_exe_id(pid, &exe_dev, &exe_ino);

	for (size_t i = 0; i < nr && !ret; i++) {
		struct rt_mapping *m = &maps[i];
		struct rt_site_table t;
		bool is_exe = (m->dev == exe_dev && m->ino == exe_ino) ||
			      !strcmp(m->path, exe);
		int fd;

		if (seen_has(seen, m->dev, m->ino) ||
		    !module_selected(opts, m, is_exe))
			continue;
		fd = rt_maps_open(pid, m);
		if (fd < 0) {
			/* Unmapped meanwhile or replaced on disk: skip it. */
			if (fd == -ENOENT || fd == -ESTALE)
				continue;
			snprintf(err, errlen, "cannot open %s mapped by %d: %s",
				 m->path, (int)pid, strerror(-fd));
			ret = fd;
			break;
		}
		ret = rt_sites_decode_file(fd, opts, &t, err, errlen);
		if (ret) {
			close(fd);
			if (ret == -ENOEXEC) {
				/* Not x86-64 ELF code: nothing to sample. */
				ret = seen_add(seen, m->dev, m->ino);
				continue;
			}
			break;
		}
		t.fd = fd;
		t.map = *m;
		ret = seen_add(seen, m->dev, m->ino);
		if (!ret)
			ret = cb(arg, &t);
		rt_site_table_release(&t);
	}
	free(maps);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return ret;
}
