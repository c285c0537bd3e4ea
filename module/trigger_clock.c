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
 * looks the interrupted user ip up in the site tables (RCU) and, on a
 * hit, queues a task_work: the thread runs it on its way back to user
 * mode, before the sampled instruction executes, in task context where
 * the sample may sleep.
 */
#include <linux/cpu.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/workqueue.h>
#include "sample.h"
#include "tracer.h"
#include "trigger_clock.h"
#include "trigger_site.h"

static void clock_work_fn(struct callback_head *cb)
{
	struct racetrap_clock_work *cw =
		container_of(cb, struct racetrap_clock_work, cb);
	struct racetrap_tracer *t = cw->tracer;
	struct pt_regs *regs = task_pt_regs(current);
	struct racetrap_site_ref ref = cw->ref;
	unsigned long ip = cw->ip;

	clear_bit(cw - t->works, &t->work_busy);
	/* A signal frame may have been set up since the tick: re-check. */
	if (!(current->flags & PF_EXITING) && regs->ip == ip &&
	    current->mm == t->mm && !READ_ONCE(t->stopping))
		racetrap_sample(t, regs, &ref, RACETRAP_REC_TRIGGER_CLOCK);
	racetrap_leave(t);
}

static void clock_handler(struct perf_event *ev, struct perf_sample_data *data,
			  struct pt_regs *regs)
{
	struct racetrap_tracer *t = ev->overflow_handler_context;
	struct racetrap_clock_work *cw;
	struct racetrap_site_ref ref;
	unsigned int i;

	/* Another process on this CPU, or the target after an exec. */
	if (!user_mode(regs) || current->mm != t->mm ||
	    (current->flags & PF_EXITING))
		return;
	racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_TICKS);
	/* Budget spent (the tick's verdict): no sample, no hint. */
	if (READ_ONCE(t->throttled))
		return;
	if (!racetrap_sites_find(t, regs->ip, &ref)) {
		racetrap_count(&t->stats, RACETRAP_STAT_CLOCK_MISSES);
		racetrap_site_hint(t, regs->ip);
		return;
	}
	for (i = 0; i < RACETRAP_CLOCK_WORKS; i++)
		if (!test_and_set_bit(i, &t->work_busy))
			break;
	if (i == RACETRAP_CLOCK_WORKS) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_BUSY);
		return;
	}
	cw = &t->works[i];
	if (!racetrap_enter(t)) {
		clear_bit(i, &t->work_busy);
		return;
	}
	cw->tracer = t;
	cw->ip = regs->ip;
	cw->ref = ref;
	init_task_work(&cw->cb, clock_work_fn);
	if (task_work_add(current, &cw->cb, TWA_RESUME)) {
		clear_bit(i, &t->work_busy);
		racetrap_leave(t);
	}
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
		.sample_period = (u64)t->cfg.clock_period_us * NSEC_PER_USEC,
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

/* Releases every event; no handler runs after. */
void racetrap_clock_stop(struct racetrap_tracer *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_clock_events; i++)
		perf_event_release_kernel(t->clock_events[i]);
	kfree(t->clock_events);
	t->clock_events = NULL;
	t->nr_clock_events = 0;
}
