/* SPDX-License-Identifier: GPL-2.0 */
/* The windows' per-CPU breakpoints, shared by every attachment. */
#ifndef _RACETRAP_WATCH_POOL_H
#define _RACETRAP_WATCH_POOL_H

#include <linux/perf_event.h>
#include <linux/types.h>

struct racetrap_slot;

/* One breakpoint per CPU, lent to one window at a time. */
struct racetrap_watch_set {
	struct perf_event **bps;	/* by CPU; NULL: offline when made */
	struct racetrap_slot *owner;	/* the window using it, or NULL */
};

void racetrap_watch_attr(struct perf_event_attr *attr, unsigned long addr,
			 unsigned int len, bool disabled);
int racetrap_watch_pool_get(unsigned int nr);
int racetrap_watch_pool_grow(unsigned int nr);
void racetrap_watch_pool_put(void);
void racetrap_watch_pool_retry(void);
unsigned int racetrap_watch_pool_sets(void);
struct racetrap_watch_set *racetrap_watch_pool_claim(struct racetrap_slot *slot,
						     int *err);
void racetrap_watch_pool_release(struct racetrap_watch_set *set);

/* watch.c's #DB handler, the breakpoints' overflow handler. */
void racetrap_watch_hit(struct perf_event *bp, struct perf_sample_data *data,
			struct pt_regs *regs);

#endif /* _RACETRAP_WATCH_POOL_H */
