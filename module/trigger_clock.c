// SPDX-License-Identifier: GPL-2.0
/*
 * Clock sampling.  Every thread of the target gets a cpu-clock sampling
 * event counting its own user CPU time; inherit + inherit_thread make the
 * kernel copy it into threads created later (and not into child
 * processes), and releasing the parent event releases the copies.
 *
 * The overflow handler runs in hrtimer interrupt context, so it only
 * looks the interrupted user ip up in the site tables (RCU) and, on a
 * hit, queues a task_work: the thread runs it on its way back to user
 * mode, before the sampled instruction executes, in task context where
 * the sample may sleep.
 */
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
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

	/* After exec the event lives on in the new image: ignore it. */
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

int racetrap_clock_start(struct racetrap_tracer *t, struct task_struct *task)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = (u64)t->cfg.clock_period_us * NSEC_PER_USEC,
		.exclude_kernel = 1,
		.exclude_hv = 1,
		.inherit = 1,
		.inherit_thread = 1,
	};
	struct task_struct **tasks;
	unsigned int nr, i;
	int ret = 0;

	tasks = racetrap_threads(task, NULL, &nr);
	if (!tasks)
		return -ENOMEM;
	t->clock_events = kcalloc(nr ?: 1, sizeof(*t->clock_events),
				  GFP_KERNEL);
	t->nr_clock_events = 0;
	if (!t->clock_events) {
		racetrap_put_threads(tasks, nr);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(&attr, -1, tasks[i],
						      clock_handler, t);
		if (IS_ERR(ev)) {
			if (PTR_ERR(ev) == -ESRCH)
				continue;
			ret = PTR_ERR(ev);
			break;
		}
		t->clock_events[t->nr_clock_events++] = ev;
	}
	racetrap_put_threads(tasks, nr);
	if (ret)
		racetrap_clock_stop(t);
	return ret;
}

/* Releases every event and its inherited copies; no handler runs after. */
void racetrap_clock_stop(struct racetrap_tracer *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_clock_events; i++)
		perf_event_release_kernel(t->clock_events[i]);
	kfree(t->clock_events);
	t->clock_events = NULL;
	t->nr_clock_events = 0;
}
