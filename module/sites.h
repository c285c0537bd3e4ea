/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Site tables: per mapped file, the memory-accessing instructions
 * userspace decoded, and where the file is mapped executable in the
 * target.  Lookups run in any context under RCU.
 */
#ifndef _RACETRAP_SITES_H
#define _RACETRAP_SITES_H

#include <linux/list.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <uapi/linux/racetrap.h>

struct inode;
struct racetrap_tracer;

/* A site found by a lookup: a copy, so it outlives the RCU section. */
struct racetrap_site_ref {
	struct racetrap_site site;
	u32 table_id;
};

struct racetrap_map {
	unsigned long start, end;	/* executable mapping [start, end) */
	u64 file_off;			/* file offset mapped at start */
};

/*
 * A set of a table's sites that only grows: a bit per site in it, and
 * their indices in the order added, @nr of them (sites.c).
 */
struct racetrap_site_list {
	unsigned long *bits;
	u32 *idx;
	atomic_t nr;
};

/* Which of a table's lists a draw is among (racetrap_sites_draw()). */
enum racetrap_site_pool {
	RACETRAP_POOL_LIVE,	/* the sites of functions seen to run */
	RACETRAP_POOL_RAN,	/* the sites seen to run themselves */
};

struct racetrap_table {
	struct list_head node;		/* tracer->tables, RCU */
	struct list_head dead;		/* on the way out, after a grace period */
	u32 id;
	/*
	 * The file's path, pinned with path_get(): its dentry keeps the
	 * inode, by which the table knows the file's mappings, and its mount
	 * keeps the filesystem from being unmounted under it (an inode
	 * reference alone would leave it "busy after unmount").
	 */
	struct path path;
	struct inode *inode;		/* path's inode */
	struct racetrap_site *sites;	/* kvmalloc'ed, sorted by offset */
	u32 nr_sites;
	/*
	 * Live sites and sites that ran (sites.c).  @idle: per site, how
	 * many probes on it in a row were removed unfired (saturating).
	 */
	struct racetrap_site_list live, ran;
	u8 *idle;
	u32 nr_maps;
	struct racetrap_map maps[];
};

int racetrap_sites_add(struct racetrap_tracer *t, struct racetrap_sites *arg);
void racetrap_sites_clear(struct racetrap_tracer *t);
bool racetrap_sites_find(struct racetrap_tracer *t, unsigned long ip,
			 struct racetrap_site_ref *ref);
bool racetrap_sites_find_ending(struct racetrap_tracer *t, unsigned long ip,
				struct racetrap_site_ref *ref);
void racetrap_sites_mark_live(struct racetrap_tracer *t, unsigned long ip);
void racetrap_sites_note_ran(struct racetrap_tracer *t, unsigned long ip);
bool racetrap_sites_draw(struct racetrap_tracer *t,
			 enum racetrap_site_pool pool,
			 struct racetrap_site_ref *ref, u32 *idx, bool *retired);
bool racetrap_sites_forgive(struct racetrap_tracer *t,
			    enum racetrap_site_pool pool);
bool racetrap_sites_vaddr(struct racetrap_tracer *t,
			  const struct racetrap_site_ref *ref,
			  unsigned long *vaddr);
void racetrap_sites_note_probe(struct racetrap_tracer *t, u32 table_id,
			       u32 idx, bool fired);
bool racetrap_sites_find_near(struct racetrap_tracer *t, unsigned long ip,
			      unsigned int reach, struct racetrap_site_ref *ref,
			      unsigned long *vaddr);
bool racetrap_sites_draw_func(struct racetrap_tracer *t, unsigned long ip,
			      struct racetrap_site_ref *ref,
			      unsigned long *vaddr);

/* What a clock tick's ip found: racetrap_sites_at_tick(). */
enum racetrap_tick_site {
	RACETRAP_TICK_NONE,
	RACETRAP_TICK_AT,	/* the site at the ip */
	RACETRAP_TICK_NEAR,	/* one shortly after it */
};
enum racetrap_tick_site racetrap_sites_at_tick(struct racetrap_tracer *t,
					       unsigned long ip,
					       unsigned int reach,
					       struct racetrap_site_ref *ref,
					       unsigned long *vaddr);

#endif /* _RACETRAP_SITES_H */
