/* SPDX-License-Identifier: GPL-2.0 */
/* The overhead budget: stalls plus trap costs against target CPU time. */
#ifndef _RACETRAP_BUDGET_H
#define _RACETRAP_BUDGET_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct racetrap_tracer;
struct task_struct;

/* The token bucket; see budget.c. */
struct racetrap_budget {
	raw_spinlock_t lock;		/* the refill; throttling changes */
	u64 cpu_seen;			/* target CPU ns at the last refill */
	s64 credit_ns;			/* balance then, at most the burst */
	atomic64_t charged_ns;		/* cost charged since */
	u64 throttled_since;		/* ktime_get_ns(), while throttled */
	/* Written by the tick (and attach) alone, without the lock: */
	u64 rotate_cpu_seen;		/* target CPU ns at the last rotation */
	u64 rotate_cost_ns;		/* what the last rotation charged */
	u64 pace_cpu_seen;		/* target CPU ns at the last pace */
	u64 pace_cost_seen;		/* RACETRAP_STAT_COST_NS then */
	u64 pace_skips_seen;		/* RACETRAP_STAT_SKIP_BUDGET then */
	u64 pace_held_seen;		/* RACETRAP_STAT_THROTTLED_NS then */
	/* Under the lock: */
	u64 rotate_debt_ns;		/* rotations' cost not yet repaid */
};

void racetrap_budget_start(struct racetrap_tracer *t, struct task_struct *task);

bool racetrap_budget_allow(struct racetrap_tracer *t);
bool racetrap_budget_check(struct racetrap_tracer *t);
void racetrap_budget_charge(struct racetrap_tracer *t, u64 ns);

/*
 * Costs racetrap causes outside any code of its own that could time
 * them, charged at a bound taken from published hardware measurements
 * (Documentation/benchmarks.rst, "Projection to bare metal"), never
 * divided by an emulation divisor:
 *  - a cpu-clock tick in a target thread: the interrupt, direct and
 *    indirect (0.5-1.5% of a CPU at 1000 Hz, the lower end taken);
 *  - a watchpoint or execute-breakpoint trap: the #DB entry and exit
 *    around the handler, which the handler cannot time itself;
 *  - a site breakpoint armed in or taken out of another thread by the
 *    rotation: the cross-CPU call perf makes to the CPU that thread runs
 *    on (an IPI, 2 us).  The kworker's own time is not the target's.
 */
#define RACETRAP_COST_TICK_NS		5000
#define RACETRAP_COST_DB_ENTRY_NS	1000
#define RACETRAP_COST_REMOTE_ARM_NS	2000
void racetrap_budget_charge_bound(struct racetrap_tracer *t, u64 ns);
unsigned long racetrap_task_switches(struct task_struct *task);
void racetrap_budget_charge_switches(struct racetrap_tracer *t,
				     struct task_struct *task,
				     unsigned long since);
void racetrap_budget_charge_window(struct racetrap_tracer *t, u64 own_ns,
				   u64 stall_ns, unsigned int nr_others);
void racetrap_budget_stop(struct racetrap_tracer *t);
int racetrap_budget_interval_use(struct racetrap_tracer *t, bool *refused);
u64 racetrap_budget_throttled_ns(struct racetrap_tracer *t);
bool racetrap_budget_rotation_due(struct racetrap_tracer *t);
void racetrap_budget_charge_rotation(struct racetrap_tracer *t,
				     unsigned int remote_arms, bool rotation);

#endif /* _RACETRAP_BUDGET_H */
