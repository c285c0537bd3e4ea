// SPDX-License-Identifier: GPL-2.0
/*
 * Clock sampling.  One cpu-clock sampling event per online CPU, not per
 * thread: its hrtimer interrupts whatever runs there every
 * clock_period_us, and the handler keeps only the target's threads in
 * user mode, so a target thread is still sampled once per period of its
 * own CPU time.  Per-thread events (inherited into new threads) cost
 * the target at every context switch (the event is switched out and in,
 * its hrtimer cancelled and restarted) and at every thread creation and
 * exit (the inherited copy is allocated and freed); per-CPU events cost
 * nothing there, which is what a thread-creating or blocking service
 * needs.  The price: CPUs brought online after attach are not sampled
 * until the next CONFIG that restarts the trigger.
 *
 * The overflow handler runs in hrtimer interrupt context, so it only
 * looks the interrupted user ip up in the site tables (RCU) and queues a
 * task_work: the thread runs it on its way back to user mode, in task
 * context where the sample may sleep.
 *
 * A tick on a site samples it there, before it executes.  A tick between
 * sites (most of them: most instructions do not access memory, and under
 * QEMU's TCG a tick only lands where a translated block starts) *aims*:
 * the task_work arms an execute breakpoint, in this thread only, on a site
 * drawn among the next AIM_REACH bytes of the same function (sites.c,
 * draw_near()), and the thread samples it when the breakpoint stops it
 * there, a few instructions later, before the access.  So clock samples
 * stay proportional to where each thread spends its time and are still
 * precise.  An aim that is not reached (the thread branched away) is
 * disarmed by the next tick after AIM_MAX_NS.
 *
 * Aims used to be uprobes on hinted sites, armed for the whole process at
 * the next site rotation.  An execute breakpoint costs the target nothing
 * but the one thread's trap, needs no text patching, and no out-of-line
 * single-step of the copied instruction: under QEMU's multi-threaded TCG,
 * uprobes on hot code whose out-of-line copies change from hit to hit
 * corrupt the target (see Documentation/testing.rst), and hot code is
 * exactly where the clock trigger points.
 */
#include <linux/cpu.h>
#include <linux/hw_breakpoint.h>
#include <linux/ktime.h>
#include <linux/perf_event.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/workqueue.h>
#include "budget.h"
#include "pace.h"
#include "sample.h"
#include "stack.h"
#include "tracer.h"
#include "trigger_clock.h"
#include "trigger_site.h"
#include "watch.h"

#define AIM_REACH	64			/* bytes from a tick to its aim */
#define AIM_FRAMES	8			/* frames searched for one */
#define AIM_MAX_NS	(20 * NSEC_PER_MSEC)	/* then the tick disarms it */

/* A work's life; only AIMED and DEAD are contended (hit vs. expiry). */
enum {
	WORK_IDLE,
	WORK_QUEUED,	/* task_work queued: sample here, or arm the aim */
	WORK_AIMED,	/* execute breakpoint armed */
	WORK_HIT,	/* it fired: task_work queued to sample */
	WORK_DEAD,	/* it fired in a dying thread: the tick disarms it */
	WORK_CLEANING,	/* being disarmed by the tick or teardown */
};

static void release_work(struct racetrap_tracer *t,
			 struct racetrap_clock_work *cw)
{
	atomic_set(&cw->state, WORK_IDLE);
	racetrap_release_bit(&t->work_busy, cw - t->works);
	racetrap_leave(t);
}

/*
 * Task context, on the way back to user mode, before @cw->ip executes:
 * the site is run, so the site trigger may draw it (sites.c).
 */
static void sample_here(struct racetrap_clock_work *cw)
{
	racetrap_sites_note_ran(cw->tracer, cw->ip);
	racetrap_sample_at(cw->tracer, cw->ip, &cw->ref,
			   RACETRAP_REC_TRIGGER_CLOCK);
}

/* The tick landed on a site. */
static void clock_work_fn(struct callback_head *cb)
{
	struct racetrap_clock_work *cw =
		container_of(cb, struct racetrap_clock_work, cb);

	racetrap_site_refresh(cw->tracer);
	sample_here(cw);
	release_work(cw->tracer, cw);
}

/* The aim was reached: disarm it, then sample. */
static void aim_sample_fn(struct callback_head *cb)
{
	struct racetrap_clock_work *cw =
		container_of(cb, struct racetrap_clock_work, cb);
	struct racetrap_tracer *t = cw->tracer;
	u64 t0 = ktime_get_ns();

	racetrap_exec_bp_release(t, cw->aim, cw->switches);
	cw->aim = NULL;
	racetrap_budget_charge(t, ktime_get_ns() - t0);
	sample_here(cw);
	release_work(t, cw);
}

/* #DB context: the aimed thread is about to execute the aimed site. */
static void aim_hit(struct perf_event *bp, struct perf_sample_data *data,
		    struct pt_regs *regs)
{
	struct racetrap_clock_work *cw = bp->overflow_handler_context;

	if (!user_mode(regs) || regs->ip != cw->ip ||
	    atomic_cmpxchg(&cw->state, WORK_AIMED, WORK_HIT) != WORK_AIMED)
		return;
	init_task_work(&cw->cb, aim_sample_fn);
	if (task_work_add(current, &cw->cb, TWA_RESUME))
		atomic_set(&cw->state, WORK_DEAD);
}

/*
 * Take out an aim in @state (AIMED or DEAD) unless its hit or another
 * disarmer got there first.  Process context, under aim_lock.
 */
static void disarm_aim(struct racetrap_tracer *t,
		       struct racetrap_clock_work *cw, int state)
{
	if (atomic_cmpxchg(&cw->state, state, WORK_CLEANING) != state)
		return;
	/* After this no aim_hit() runs for it. */
	racetrap_exec_bp_release(t, cw->aim, cw->switches);
	cw->aim = NULL;
	if (state == WORK_AIMED)
		racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_AIMS_MISSED);
	release_work(t, cw);
}

/*
 * A thread ticked again while its last aim is armed has run a clock
 * period without reaching it: that aim was missed.  Taking it out before
 * arming the new one keeps racetrap at one debug register per thread for
 * aims; left to expire, a busy thread's missed aims took all four of its
 * registers, and every window that had to watch that thread was skipped
 * for want of one (skip_nospc).
 */
static void disarm_own_aims(struct racetrap_tracer *t)
{
	unsigned int i;

	for (i = 0; i < RACETRAP_CLOCK_WORKS; i++) {
		struct racetrap_clock_work *cw = &t->works[i];

		if (READ_ONCE(cw->task) == current &&
		    atomic_read(&cw->state) == WORK_AIMED)
			disarm_aim(t, cw, WORK_AIMED);
	}
}

/* Task context of the ticked thread: arm the execute breakpoint. */
static void aim_fn(struct callback_head *cb)
{
	struct racetrap_clock_work *cw =
		container_of(cb, struct racetrap_clock_work, cb);
	struct racetrap_tracer *t = cw->tracer;
	struct perf_event *bp;
	u64 t0;

	racetrap_site_refresh(t);
	t0 = ktime_get_ns();
	mutex_lock(&t->aim_lock);
	/*
	 * Teardown sets @stopping, then disarms under aim_lock.  An aim whose
	 * sample the budget would refuse is not worth its breakpoint.
	 */
	if (READ_ONCE(t->stopping) || (current->flags & PF_EXITING) ||
	    current->mm != t->mm ||
	    !(READ_ONCE(t->cfg.triggers) & RACETRAP_TRIGGER_CLOCK) ||
	    !racetrap_budget_allow(t))
		goto err_release;
	disarm_own_aims(t);
	bp = racetrap_exec_bp(cw->ip, aim_hit, cw, current, &cw->switches);
	if (IS_ERR(bp)) {
		racetrap_count(&t->stats, PTR_ERR(bp) == -ENOSPC ?
			       RACETRAP_STAT_SKIP_NOSPC :
			       RACETRAP_STAT_SKIP_FAULT);
		goto err_release;
	}
	cw->aim = bp;
	WRITE_ONCE(cw->task, current);
	cw->aimed_at = ktime_get_ns();
	racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_AIMS);
	racetrap_budget_charge(t, ktime_get_ns() - t0);
	/*
	 * It can fire only once this thread is back in user mode.  From
	 * here a teardown may disarm it and drop the reference this work
	 * holds, even while mutex_unlock() still touches the lock (a mutex
	 * may not free its own object): hold @t for the unlock.
	 */
	atomic_inc(&t->inflight);
	atomic_set(&cw->state, WORK_AIMED);
	mutex_unlock(&t->aim_lock);
	racetrap_leave(t);
	return;

err_release:
	mutex_unlock(&t->aim_lock);
	release_work(t, cw);
}

/*
 * Disarm the aims not reached within AIM_MAX_NS, or all of them.  Process
 * context (the tick, teardown, CONFIG); a fired aim's task_work releases
 * its work itself.
 */
void racetrap_clock_expire(struct racetrap_tracer *t, bool all)
{
	u64 now = ktime_get_ns();
	unsigned int i;

	mutex_lock(&t->aim_lock);
	for (i = 0; i < RACETRAP_CLOCK_WORKS; i++) {
		struct racetrap_clock_work *cw = &t->works[i];
		int state = atomic_read(&cw->state);

		if (state == WORK_AIMED && !all &&
		    now < cw->aimed_at + AIM_MAX_NS)
			continue;
		if (state == WORK_AIMED || state == WORK_DEAD)
			disarm_aim(t, cw, state);
	}
	mutex_unlock(&t->aim_lock);
}

/*
 * A tick in code without sites (a language runtime, a library outside
 * the sampled universe): aim at the first caller, within AIM_FRAMES
 * frames, that has a site to aim at, so the thread samples the program's
 * code.  Half the time at any site of its function, reached when the
 * thread runs that code again (a loop's next round, the next request's
 * handler): the accesses a handler makes once per request before its
 * calls are otherwise aimed at never.  Else, or when the table does not
 * say where the function ends, at a site within AIM_REACH of its return
 * address, reached when the call returns.  Frame pointers only (Go keeps
 * them; C without them simply has no callers here).  Interrupt context:
 * the walk never faults.
 */
static bool aim_up_the_stack(struct racetrap_tracer *t,
			     const struct pt_regs *regs,
			     struct racetrap_site_ref *ref, unsigned long *ip)
{
	bool whole = get_random_u32_below(2);
	u64 stack[AIM_FRAMES];
	unsigned int n, i;

	n = racetrap_user_stack(regs, stack, AIM_FRAMES);
	for (i = 1; i < n; i++) {
		if ((whole && racetrap_sites_draw_func(t, stack[i], ref, ip)) ||
		    racetrap_sites_find_near(t, stack[i], AIM_REACH, ref, ip)) {
			/* The caller runs too: its function is live. */
			racetrap_sites_mark_live(t, stack[i]);
			return true;
		}
	}
	return false;
}

static void clock_handler(struct perf_event *ev, struct perf_sample_data *data,
			  struct pt_regs *regs)
{
	struct racetrap_tracer *t = ev->overflow_handler_context;
	struct racetrap_clock_work *cw;
	struct racetrap_site_ref ref;
	unsigned long ip = regs->ip;
	task_work_func_t fn = clock_work_fn;
	unsigned int i;

	/* Another process on this CPU, or the target after an exec. */
	if (!user_mode(regs) || current->mm != t->mm ||
	    (current->flags & PF_EXITING))
		return;
	racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_TICKS);
	/*
	 * Budget spent (the tick's verdict): no sample, no aim.  Nor is the
	 * tick charged: charged while throttled, ticks alone outpace a budget
	 * under 5 us per clock period (0.05% at the default 10 ms) and would
	 * keep it spent for good.
	 */
	if (READ_ONCE(t->throttled))
		return;
	racetrap_budget_charge_bound(t, RACETRAP_COST_TICK_NS);
	switch (racetrap_sites_at_tick(t, regs->ip, AIM_REACH, &ref, &ip)) {
	case RACETRAP_TICK_AT:
		break;
	case RACETRAP_TICK_NONE:
		racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_MISSES);
		if (!aim_up_the_stack(t, regs, &ref, &ip))
			return;
		racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_AIMS_UP);
		fn = aim_fn;
		break;
	case RACETRAP_TICK_NEAR:
		racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_MISSES);
		fn = aim_fn;
		break;
	}
	i = racetrap_claim_bit(&t->work_busy, RACETRAP_CLOCK_WORKS);
	if (i == RACETRAP_CLOCK_WORKS) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_BUSY);
		return;
	}
	cw = &t->works[i];
	if (!racetrap_enter(t)) {
		racetrap_release_bit(&t->work_busy, i);
		return;
	}
	cw->tracer = t;
	cw->ip = ip;
	cw->ref = ref;
	atomic_set(&cw->state, WORK_QUEUED);
	init_task_work(&cw->cb, fn);
	if (task_work_add(current, &cw->cb, TWA_RESUME))
		release_work(t, cw);
}

/* One CPU-wide event per online CPU, created by a kworker (see below). */
struct clock_start {
	struct work_struct work;
	struct racetrap_tracer *tracer;
	int ret;
};

static void clock_start_fn(struct work_struct *work)
{
	struct clock_start *cs = container_of(work, struct clock_start, work);
	struct racetrap_tracer *t = cs->tracer;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = (u64)racetrap_clock_period_us(t, t->clock_shift) *
				 NSEC_PER_USEC,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(&attr, cpu, NULL,
						      clock_handler, t);
		if (IS_ERR(ev)) {
			cs->ret = PTR_ERR(ev);
			break;
		}
		t->clock_events[t->nr_clock_events++] = ev;
	}
	cpus_read_unlock();
}

/*
 * The events are racetrap's, not the caller's: a CPU-wide perf event is
 * subject to perf_event_paranoid for the task that creates it
 * (perf_allow_cpu()), and a user the ptrace rule allowed to watch the
 * target need not be allowed to watch whole CPUs, which racetrap does not
 * do (the handler keeps the target only).  So a kworker creates them.
 */
int racetrap_clock_start(struct racetrap_tracer *t)
{
	struct clock_start cs = { .tracer = t };

	t->clock_events = kcalloc(nr_cpu_ids, sizeof(*t->clock_events),
				  GFP_KERNEL);
	t->nr_clock_events = 0;
	if (!t->clock_events)
		return -ENOMEM;
	INIT_WORK_ONSTACK(&cs.work, clock_start_fn);
	schedule_work(&cs.work);
	flush_work(&cs.work);
	destroy_work_on_stack(&cs.work);
	if (cs.ret)
		racetrap_clock_stop(t);
	return cs.ret;
}

/*
 * Releases every event and disarms every aim; no handler runs after.  A
 * task_work already queued still runs, and finds the tracer stopping or
 * the trigger off.
 */
void racetrap_clock_stop(struct racetrap_tracer *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_clock_events; i++)
		perf_event_release_kernel(t->clock_events[i]);
	kfree(t->clock_events);
	t->clock_events = NULL;
	t->nr_clock_events = 0;
	racetrap_clock_expire(t, true);
}
