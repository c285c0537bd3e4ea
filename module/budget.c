// SPDX-License-Identifier: GPL-2.0
/*
 * Overhead budget: a token bucket measured from attach.  The target earns
 * budget_ppm of the CPU time its threads use after attach; every cost
 * racetrap causes it is charged against that (probe rotations as a debt
 * repaid first, see the end of this file); a sample is allowed while the
 * balance is positive.  The balance is capped at BURST_WINDOWS
 * windows, so no idle stretch and no CPU time used before attach can be
 * saved up into a burst: over any interval the cost is at most budget_ppm
 * of the CPU time used plus the cap, one sample's cost and one rotation's
 * debt.
 *
 * The CPU time is read racily (live threads' sum_exec_runtime plus what
 * exited threads left in signal->sum_sched_runtime): an estimate is all a
 * budget needs.  Charges come from any context (hrtimer, #DB) and only
 * add to an atomic (the tick's rotation debt takes the lock); the refill,
 * which reads every thread, runs in task context at samples and at the
 * tick.
 */
#include <linux/cpumask.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "budget.h"
#include "tracer.h"

#define PPM		1000000U
#define BURST_WINDOWS	2
/* Rotations may take at most 1/ROTATE_SHARE of what the target earns. */
#define ROTATE_SHARE	2

/*
 * An emulator makes a trap, an IPI or a timer orders of magnitude dearer
 * than hardware does, relative to the target's own instructions: under
 * QEMU TCG a 500 us window costs about 3 ms of the target's time, where
 * hardware would charge about 0.5 ms (Documentation/benchmarks.rst).  At
 * 1% the VM then samples an order of magnitude less of the target's work
 * than a real host would, and detection tests measure the emulator.  The
 * test rig sets this divisor for every charge; a real host leaves it at 1.
 */
static unsigned int emulated_cost_div = 1;
static int set_cost_div(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v < 1 || v > 1000)
		return -ERANGE;
	WRITE_ONCE(emulated_cost_div, v);
	return 0;
}

static const struct kernel_param_ops cost_div_ops = {
	.set = set_cost_div,
	.get = param_get_uint,
};
module_param_cb(emulated_cost_div, &cost_div_ops, &emulated_cost_div, 0644);
MODULE_PARM_DESC(emulated_cost_div,
		 "divide every budget charge by this (1..1000); for test VMs under emulation only (default 1)");

/*
 * What one context switch of a thread costs it while the thread holds an
 * execute breakpoint of racetrap's (a per-thread perf event: perf
 * switches the thread's event context out and in, and x86 writes the
 * debug registers both ways).  The default is the order of perf's own
 * context switch of one event, measured on the build host with a
 * software event (+1.3 us per switch); a host whose hypervisor traps
 * debug-register writes may pay far more (+2.1 and +15.8 us on two
 * cloud microVMs): `racetrap calibrate --write` measures it and sets it
 * here, as racetrapd.service does before each start
 * (Documentation/benchmarks.rst, "Context switches of a thread holding a
 * breakpoint").
 */
static unsigned int bp_switch_ns = 1000;
module_param(bp_switch_ns, uint, 0644);
MODULE_PARM_DESC(bp_switch_ns,
		 "budget charge per context switch of a thread holding a racetrap execute breakpoint, in ns (default 1000)");

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

static s64 burst_ns(struct racetrap_tracer *t)
{
	return (s64)BURST_WINDOWS * READ_ONCE(t->cfg.window_us) *
	       NSEC_PER_USEC;
}

/* A full bucket and the CPU time from which the target earns. */
void racetrap_budget_start(struct racetrap_tracer *t, struct task_struct *task)
{
	struct racetrap_budget *b = &t->budget;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	b->cpu_seen = group_cpu_ns(task);
	b->credit_ns = burst_ns(t);
	atomic64_set(&b->charged_ns, 0);
	b->rotate_cpu_seen = b->cpu_seen;
	b->rotate_cost_ns = 0;
	b->rotate_debt_ns = 0;
	b->pace_cpu_seen = b->cpu_seen;
	b->pace_cost_seen = racetrap_count_read(&t->stats,
						RACETRAP_STAT_COST_NS);
	b->pace_skips_seen = racetrap_count_read(&t->stats,
						 RACETRAP_STAT_SKIP_BUDGET);
	b->pace_held_seen = racetrap_count_read(&t->stats,
						RACETRAP_STAT_THROTTLED_NS);
	raw_spin_unlock_irqrestore(&b->lock, flags);
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
	racetrap_ring_push(&t->ring, rec, NULL);
	kfree(rec);
}

/*
 * Credit what the target earned since the last refill, debit what was
 * charged meanwhile; is the balance spent?  @task: any thread of the
 * target.
 */
static bool spent(struct racetrap_tracer *t, struct task_struct *task)
{
	struct racetrap_budget *b = &t->budget;
	u32 ppm = READ_ONCE(t->cfg.budget_ppm);
	u64 cpu = group_cpu_ns(task);
	unsigned long flags;
	s64 credit;

	raw_spin_lock_irqsave(&b->lock, flags);
	credit = b->credit_ns - atomic64_xchg(&b->charged_ns, 0);
	if (cpu > b->cpu_seen) {
		u64 earned = mul_u64_u32_div(cpu - b->cpu_seen, ppm, PPM);
		u64 repaid = min(earned, b->rotate_debt_ns);

		b->rotate_debt_ns -= repaid;
		credit += earned - repaid;
	}
	b->cpu_seen = max(cpu, b->cpu_seen);
	/*
	 * Unlimited refuses nothing, so it keeps no debt either: a budget
	 * lowered later (a daemon's reload) starts from an empty bucket,
	 * not from hours of unlimited windows to repay.
	 */
	if (ppm >= PPM) {
		credit = max_t(s64, credit, 0);
		b->rotate_debt_ns = 0;
	}
	b->credit_ns = min(credit, burst_ns(t));
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return ppm < PPM && credit <= 0;
}

/*
 * Record a change of state: one THROTTLE record each time it starts, and
 * the time it lasted when it ends (RACETRAP_STAT_THROTTLED_NS).
 */
static void set_throttled(struct racetrap_tracer *t, bool on)
{
	struct racetrap_budget *b = &t->budget;
	u64 now = ktime_get_ns();
	bool started = false;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	if (on && !t->throttled) {
		b->throttled_since = now;
		started = true;
	} else if (!on && t->throttled) {
		racetrap_count_add(&t->stats, RACETRAP_STAT_THROTTLED_NS,
				   now - b->throttled_since);
	}
	WRITE_ONCE(t->throttled, on);
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (started) {
		racetrap_count(&t->stats, RACETRAP_STAT_THROTTLED);
		throttle_record(t);
	}
}

/*
 * The attachment ended: a throttle going on ends with it, so that
 * THROTTLED_NS stops growing and a new attachment starts unthrottled.
 */
void racetrap_budget_stop(struct racetrap_tracer *t)
{
	set_throttled(t, false);
}

/* RACETRAP_STAT_THROTTLED_NS including a throttle still going on. */
u64 racetrap_budget_throttled_ns(struct racetrap_tracer *t)
{
	struct racetrap_budget *b = &t->budget;
	unsigned long flags;
	u64 ns;

	raw_spin_lock_irqsave(&b->lock, flags);
	ns = racetrap_count_read(&t->stats, RACETRAP_STAT_THROTTLED_NS);
	if (t->throttled)
		ns += ktime_get_ns() - b->throttled_since;
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return ns;
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
 * is spent the triggers stand down: no site breakpoint is armed, ticks
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

static void add_charge(struct racetrap_tracer *t, u64 ns)
{
	racetrap_count_add(&t->stats, RACETRAP_STAT_COST_NS, ns);
	atomic64_add(ns, &t->budget.charged_ns);
}

/* @ns as charged: divided by emulated_cost_div (1 on a real host). */
void racetrap_budget_charge(struct racetrap_tracer *t, u64 ns)
{
	add_charge(t, ns / READ_ONCE(emulated_cost_div));
}

/* A bound (budget.h), as it is on hardware: no emulation divisor. */
void racetrap_budget_charge_bound(struct racetrap_tracer *t, u64 ns)
{
	racetrap_count_add(&t->stats, RACETRAP_STAT_COST_BOUND_NS, ns);
	add_charge(t, ns);
}

/* Context switches of @task so far, voluntary or not. */
unsigned long racetrap_task_switches(struct task_struct *task)
{
	return READ_ONCE(task->nvcsw) + READ_ONCE(task->nivcsw);
}

/*
 * @task held one of racetrap's execute breakpoints from the time its
 * switch count was @since until now: charge each switch meanwhile at
 * bp_switch_ns, as a bound.  @task must be held (the breakpoint's perf
 * event holds it until unregistered).
 */
void racetrap_budget_charge_switches(struct racetrap_tracer *t,
				     struct task_struct *task,
				     unsigned long since)
{
	unsigned long n = racetrap_task_switches(task) - since;

	if (!n)
		return;
	racetrap_count_add(&t->stats, RACETRAP_STAT_BP_SWITCHES, n);
	racetrap_budget_charge_bound(t, (u64)n * READ_ONCE(bp_switch_ns));
}

/*
 * A window held the sampled thread for @stall_ns and its other threads
 * may have waited on it (a lock it holds, a stop-the-world, a join) for
 * as long.  How many did is not observable cheaply, so charge the bound:
 * as many as could have run meanwhile, the @nr_others threads of the
 * target but at most one per other online CPU.
 */
void racetrap_budget_charge_window(struct racetrap_tracer *t, u64 own_ns,
				   u64 stall_ns, unsigned int nr_others)
{
	u64 others = (u64)min(nr_others, num_online_cpus() - 1) * stall_ns;

	racetrap_count_add(&t->stats, RACETRAP_STAT_COST_OTHERS_NS,
			   others / READ_ONCE(emulated_cost_div));
	racetrap_budget_charge(t, own_ns + others);
}

/* Target CPU time now, or @fallback if the target is gone. */
static u64 target_cpu_ns(struct racetrap_tracer *t, u64 fallback)
{
	struct task_struct *task;
	u64 cpu = fallback;

	rcu_read_lock();
	task = pid_task(t->tgid, PIDTYPE_TGID);
	if (task)
		cpu = group_cpu_ns(task);
	rcu_read_unlock();
	return cpu;
}

/*
 * For the clock's pace (pace.c): the percentage of what the target earned
 * since the last call that was charged, and in *@refused whether the
 * budget refused a sample meanwhile, held sampling back at any time
 * meanwhile, or is spent now.  A hold that ended within the interval
 * counts: the ticks during it were not charged (trigger_clock.c), so the
 * charge alone would make an interval of a spent budget look idle and
 * the clock faster (test_pace saw the period leave the base at 100 ppm).
 * -1 until the target has used PACE_MIN_CPU_NS more CPU time: too little
 * to judge.  The tick's work is the only caller, and the only writer of
 * pace_* (attach aside).
 */
#define PACE_MIN_CPU_NS	(20 * NSEC_PER_MSEC)
int racetrap_budget_interval_use(struct racetrap_tracer *t, bool *refused)
{
	struct racetrap_budget *b = &t->budget;
	u32 ppm = min(READ_ONCE(t->cfg.budget_ppm), PPM);
	u64 cpu = target_cpu_ns(t, b->pace_cpu_seen);
	u64 cost = racetrap_count_read(&t->stats, RACETRAP_STAT_COST_NS);
	u64 skips = racetrap_count_read(&t->stats, RACETRAP_STAT_SKIP_BUDGET);
	u64 held = racetrap_count_read(&t->stats, RACETRAP_STAT_THROTTLED_NS);
	u64 earned, charged;

	if (cpu < b->pace_cpu_seen + PACE_MIN_CPU_NS)
		return -1;
	earned = mul_u64_u32_div(cpu - b->pace_cpu_seen, ppm, PPM);
	charged = cost - min(cost, b->pace_cost_seen);
	*refused = skips != b->pace_skips_seen || held != b->pace_held_seen ||
		   READ_ONCE(t->throttled);
	b->pace_cpu_seen = cpu;
	b->pace_cost_seen = cost;
	b->pace_skips_seen = skips;
	b->pace_held_seen = held;
	if (!earned)
		return 100;
	return min_t(u64, div64_u64(charged * 100, earned), 100);
}

/*
 * Rotating the site breakpoints interrupts the target's running threads
 * whether or not anything is sampled after.  Charged to the bucket like a
 * window, a rotation can cost more than the bucket holds and would
 * throttle at every rotation (and disarming the set then costs more);
 * charged at a fixed interval, it
 * would spend a mostly idle target's budget on rotations alone.  So a
 * rotation's cost is a debt that the target's earnings repay before they
 * refill the bucket (spent() above), and the next rotation waits until
 * that debt is paid and the target has earned ROTATE_SHARE times what
 * the last rotation cost since it ran: rotations take at most half the
 * budget, samples keep the rest, and a target that runs little keeps its
 * breakpoints longer, which costs nothing until one is hit.  The tick's work
 * item is the only caller of both functions below, and the only writer
 * of rotate_cpu_seen and rotate_cost_ns (attach aside).
 */
bool racetrap_budget_rotation_due(struct racetrap_tracer *t)
{
	struct racetrap_budget *b = &t->budget;
	u32 ppm = READ_ONCE(t->cfg.budget_ppm);
	u64 cpu = target_cpu_ns(t, b->rotate_cpu_seen);
	unsigned long flags;
	u64 earned = 0;
	bool debt;

	raw_spin_lock_irqsave(&b->lock, flags);
	if (ppm >= PPM)
		b->rotate_debt_ns = 0;	/* unlimited: nothing owed */
	debt = b->rotate_debt_ns != 0;
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (debt)
		return false;
	if (ppm >= PPM)
		return true;
	if (cpu > b->rotate_cpu_seen)
		earned = mul_u64_u32_div(cpu - b->rotate_cpu_seen, ppm, PPM);
	return earned >= b->rotate_cost_ns * ROTATE_SHARE;
}

/*
 * @remote_arms site breakpoints armed in or taken out of other threads
 * by a rotation (@rotation) or by disarming the set, each at
 * RACETRAP_COST_REMOTE_ARM_NS (budget.h).
 */
void racetrap_budget_charge_rotation(struct racetrap_tracer *t,
				     unsigned int remote_arms, bool rotation)
{
	struct racetrap_budget *b = &t->budget;
	u64 ns = (u64)remote_arms * RACETRAP_COST_REMOTE_ARM_NS;
	unsigned long flags;

	if (rotation) {
		b->rotate_cpu_seen = target_cpu_ns(t, b->rotate_cpu_seen);
		b->rotate_cost_ns = ns;
	}
	racetrap_count_add(&t->stats, RACETRAP_STAT_COST_ROTATE_NS, ns);
	racetrap_count_add(&t->stats, RACETRAP_STAT_COST_NS, ns);
	raw_spin_lock_irqsave(&b->lock, flags);
	b->rotate_debt_ns += ns;
	raw_spin_unlock_irqrestore(&b->lock, flags);
}
