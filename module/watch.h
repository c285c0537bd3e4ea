/* SPDX-License-Identifier: GPL-2.0 */
/* Watchpoints on every CPU the target runs on for one window, and #DB. */
#ifndef _RACETRAP_WATCH_H
#define _RACETRAP_WATCH_H

#include <linux/cpumask.h>
#include <linux/perf_event.h>
#include <linux/types.h>

struct perf_event;
struct pt_regs;
struct racetrap_slot;
struct racetrap_tracer;
struct racetrap_watch_set;
struct task_struct;

/* One window's arming: the CPUs whose breakpoint it enabled. */
struct racetrap_watch {
	struct racetrap_watch_set *set;	/* lent by watch_pool.c */
	cpumask_var_t cpus;
	unsigned int nr;	/* CPUs armed */
	unsigned int left;	/* CPUs the target may run on, unarmed */
	unsigned int others;	/* the target's other threads at arming */
};

int racetrap_watch_arm(struct racetrap_slot *slot, unsigned long addr,
		       unsigned int len, bool self, struct racetrap_watch *w);
void racetrap_watch_disarm(struct racetrap_watch *w);
struct perf_event *racetrap_exec_bp(unsigned long ip,
				    perf_overflow_handler_t fn, void *ctx,
				    struct task_struct *task,
				    unsigned long *switches);
void racetrap_exec_bp_release(struct racetrap_tracer *t, struct perf_event *bp,
			      unsigned long switches);

#endif /* _RACETRAP_WATCH_H */
