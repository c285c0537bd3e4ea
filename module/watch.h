/* SPDX-License-Identifier: GPL-2.0 */
/* Watchpoints in every other thread for one window, and the #DB side. */
#ifndef _RACETRAP_WATCH_H
#define _RACETRAP_WATCH_H

#include <linux/perf_event.h>
#include <linux/types.h>

struct perf_event;
struct pt_regs;
struct racetrap_slot;
struct task_struct;

/* Threads born during a window that may join it, beyond those armed. */
#define RACETRAP_WATCH_JOINS	8

struct racetrap_watch {
	struct perf_event **bps;
	unsigned int nr;
	unsigned int cap;	/* of @bps: armed + RACETRAP_WATCH_JOINS */
	unsigned int left;	/* threads beyond watch_threads */
	struct perf_event_attr attr;
};

int racetrap_watch_arm(struct racetrap_slot *slot, unsigned long addr,
		       unsigned int len, bool writes_only, bool self,
		       struct racetrap_watch *w);
void racetrap_watch_disarm(struct racetrap_watch *w);
void racetrap_watch_open(struct racetrap_slot *slot, struct racetrap_watch *w);
void racetrap_watch_close(struct racetrap_slot *slot);
int racetrap_watch_join(struct racetrap_slot *slot);
struct perf_event *racetrap_exec_bp(unsigned long ip,
				    perf_overflow_handler_t fn, void *ctx,
				    struct task_struct *task);

#endif /* _RACETRAP_WATCH_H */
