// SPDX-License-Identifier: GPL-2.0
/*
 * The rig's xol_guard (sample.c, "Windows and uprobe single-steps"): the
 * last check before a uprobe's step.  A stepper's mark leaves it
 * unwatched only RACETRAP_PRESTEP_MAX_NS after the handler, but between
 * the handler and the step the uprobe core may sleep for longer: it takes
 * a one-shot probe's int3 out of the text (mmap_lock, a page copy, TLB
 * shootdown IPIs, all slow under the emulator) and allocates the XOL
 * slot.  A window opened then watched the thread, its step ran watched,
 * and the emulator's nested #DB livelocked the VM.
 *
 * So under the guard the handler also queues this task_work on its own
 * thread.  It runs on the way back to user mode after the uprobe core has
 * set the step up (the saved ip is in the XOL slot, which every window
 * opened from then on leaves unwatched) and before the step, and waits
 * there until no window is open: a watchpoint armed on the thread before
 * is gone when it steps.  Nothing can run first: get_signal() runs
 * task_works before it stops, freezes or kills the thread, so the work
 * never keeps teardown waiting on a thread that does not run.
 *
 * Rig-only like the rest of the guard: without xol_guard nothing is
 * queued and nothing of racetrap sleeps between an int3 and its step.
 */
#include <linux/delay.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include "compat.h"
#include "sample.h"
#include "sites.h"
#include "step_guard.h"
#include "tracer.h"

/*
 * For the test of this file only: hold every guarded probe hit this long
 * after the handler's wait, past its stepper mark, so that windows open
 * while the thread is on its way to the step.
 */
static unsigned int prestep_delay_ms;
module_param(prestep_delay_ms, uint, 0644);
MODULE_PARM_DESC(prestep_delay_ms,
		 "Test only: with xol_guard, sleep this long in each uprobe handler (default 0)");

struct step_guard {
	struct callback_head cb;
	struct racetrap_tracer *tracer;	/* holds an inflight reference */
	struct racetrap_site site;
	struct pt_regs regs;		/* the handler's: ip on the site */
};

static void step_guard_fn(struct callback_head *cb)
{
	struct step_guard *g = container_of(cb, struct step_guard, cb);
	struct racetrap_tracer *t = g->tracer;

	/*
	 * Only if the step of the probed address is set up: not when the
	 * uprobe core emulated the instruction or could not set a step up,
	 * and not for a thread on its way to die, which steps no more
	 * (a record made then would name an access that never comes).
	 */
	if (!(current->flags & PF_EXITING) && !fatal_signal_pending(current) &&
	    racetrap_step_pending(current, g->regs.ip))
		racetrap_sample_before_step(t, &g->regs, &g->site);
	kfree(g);
	racetrap_leave(t);
}

/*
 * Uprobe handler, task context of current, which hit the probe of @s and
 * is on its way to its step; @regs are its registers, ip on the site.
 * The caller holds a reference on @t.
 */
void racetrap_step_guard(struct racetrap_tracer *t, struct pt_regs *regs,
			 const struct racetrap_site *s)
{
	struct step_guard *g;

	if (!racetrap_xol_guard_on())
		return;
	g = kmalloc(sizeof(*g), GFP_KERNEL);
	if (!g) {
		pr_warn_ratelimited("xol_guard: no memory for a step check\n");
		return;
	}
	atomic_inc(&t->inflight);	/* the caller's keeps it above 0 */
	g->tracer = t;
	g->site = *s;
	g->regs = *regs;
	init_task_work(&g->cb, step_guard_fn);
	/* Fails only for an exiting thread, which will not step. */
	if (task_work_add(current, &g->cb, TWA_RESUME)) {
		kfree(g);
		racetrap_leave(t);
	}
}

/* The uprobe handler, after racetrap_step_guard(): the test's delay. */
void racetrap_step_guard_test_delay(void)
{
	unsigned int ms = READ_ONCE(prestep_delay_ms);

	if (ms && racetrap_xol_guard_on())
		msleep(min(ms, 1000U));
}
