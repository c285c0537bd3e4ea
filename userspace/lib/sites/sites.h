/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Site tables: every memory-accessing instruction of the target's code,
 * decoded with Capstone, in the form RACETRAP_IOC_ADD_SITES takes.
 */
#ifndef RT_SITES_H
#define RT_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

/* Which code is sampled (the "sampling universe"). */
struct rt_sites_opts {
	/* Glob patterns on the mapping's path; none = main executable only. */
	const char **modules;
	size_t nr_modules;
	/* Glob patterns on function names to add / remove. */
	const char **include_funcs;
	size_t nr_include_funcs;
	const char **exclude_funcs;
	size_t nr_exclude_funcs;
	/* Keep language-runtime internals (Go runtime.* etc.) too. */
	bool keep_runtime;
	/* Directory for the build-id keyed cache; NULL = no cache. */
	const char *cache_dir;
};

/* One executable mapping of a process, from /proc/PID/maps. */
struct rt_mapping {
	uint64_t start, end, offset;
	uint64_t dev, ino;
	char path[4096];
};

/* A decoded table for one mapped file. */
struct rt_site_table {
	struct racetrap_site *sites;	/* sorted by offset */
	size_t nr_sites;
	char build_id[41];		/* hex, "" if the file has none */
	int fd;				/* the mapped file, opened safely */
	struct rt_mapping map;
};

/*
 * Called for each selected executable mapping not seen before in @seen.
 * Return non-zero to stop the walk (that value is returned).
 */
typedef int (*rt_sites_cb)(void *arg, const struct rt_site_table *table);

struct rt_sites_seen;	/* which (dev, ino) were already handed out */
struct rt_sites_seen *rt_sites_seen_new(void);
void rt_sites_seen_free(struct rt_sites_seen *seen);

/*
 * Decode every selected executable mapping of @pid not yet in @seen and
 * hand each table to @cb; call again to pick up new mappings (dlopen).
 * Returns 0, or a negative errno with a message in @err.
 */
int rt_sites_scan(pid_t pid, const struct rt_sites_opts *opts,
		  struct rt_sites_seen *seen, rt_sites_cb cb, void *arg,
		  char *err, size_t errlen);

/* Decode one ELF file (used by tests and by rt_sites_scan). */
int rt_sites_decode_file(int fd, const struct rt_sites_opts *opts,
			 struct rt_site_table *out, char *err, size_t errlen);
void rt_site_table_release(struct rt_site_table *table);

#endif /* RT_SITES_H */
