// SPDX-License-Identifier: GPL-2.0
/*
 * Overhead budget.  The cost of racetrap to the target is the time its
 * threads are held (stall) plus the time spent arming, disarming and in
 * trap handlers; it may not exceed budget_ppm of the CPU time the target
 * has used, plus a burst allowance of two windows so the first samples
 * of a fresh attachment are not refused.  The CPU time is read racily at
 * sample time (live threads' sum_exec_runtime plus what exited threads
 * left in signal->sum_sched_runtime): an estimate is all a budget needs.
 */
#include <linux/math64.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "budget.h"
#include "tracer.h"

#define PPM		1000000U
#define BURST_WINDOWS	2

static u64 group_cpu_ns(struct task_struct *task)
{
	struct task_struct *th;
	u64 sum = READ_ONCE(task->signal->sum_sched_runtime);

	rcu_read_lock();
	for_each_thread(task, th)
		sum += READ_ONCE(th->se.sum_exec_runtime);
	rcu_read_unlock();
	return sum;
}

static void throttle_record(struct racetrap_tracer *t)
{
	struct racetrap_record *rec = kzalloc(sizeof(*rec), GFP_KERNEL);

	if (!rec) {
		racetrap_count(&t->stats, RACETRAP_STAT_DROPS);
		return;
	}
	rec->size = sizeof(*rec);
	rec->version = RACETRAP_ABI_VERSION;
	rec->type = RACETRAP_REC_THROTTLE;
	rec->pid = t->pid_nr;
	rec->timestamp_ns = ktime_get_ns();
	rec->lost = racetrap_count_read(&t->stats, RACETRAP_STAT_SKIP_BUDGET);
	racetrap_ring_push(&t->ring, rec);
	kfree(rec);
}

/* Has the cost outrun the budget?  @task: any thread of the target. */
static bool spent(struct racetrap_tracer *t, struct task_struct *task)
{
	u32 ppm = READ_ONCE(t->cfg.budget_ppm);
	u64 allowed;

	if (ppm >= PPM)
		return false;
	allowed = mul_u64_u32_div(group_cpu_ns(task), ppm, PPM) +
		  (u64)BURST_WINDOWS * READ_ONCE(t->cfg.window_us) *
		  NSEC_PER_USEC;
	return racetrap_count_read(&t->stats, RACETRAP_STAT_COST_NS) > allowed;
}

/* Record a change of state: one THROTTLE record each time it starts. */
static void set_throttled(struct racetrap_tracer *t, bool on)
{
	if (!on) {
		WRITE_ONCE(t->throttled, false);
		return;
	}
	if (!xchg(&t->throttled, true)) {
		racetrap_count(&t->stats, RACETRAP_STAT_THROTTLED);
		throttle_record(t);
	}
}

/* Task context of the sampled thread. */
bool racetrap_budget_allow(struct racetrap_tracer *t)
{
	bool over = spent(t, current);

	if (over)
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_BUDGET);
	set_throttled(t, over);
	return !over;
}

/*
 * The tick's verdict (every <= 100 ms, process context).  While the budget
 * is spent the triggers stand down: no uprobes are armed and clock ticks
 * queue nothing, so a throttled attachment costs its tick and its
 * interrupts only.  Judging here, not only at samples, is what lets them
 * come back once the target's CPU time has refilled the budget.
 */
bool racetrap_budget_check(struct racetrap_tracer *t)
{
	struct task_struct *task;
	bool over = false;

	rcu_read_lock();
	task = pid_task(t->tgid, PIDTYPE_TGID);
	if (task)
		over = spent(t, task);
	rcu_read_unlock();
	set_throttled(t, over);
	return over;
}

void racetrap_budget_charge(struct racetrap_tracer *t, u64 ns)
{
	racetrap_count_add(&t->stats, RACETRAP_STAT_COST_NS, ns);
}
