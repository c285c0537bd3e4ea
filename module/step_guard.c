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
 * So under the guard every thread on its way to a step also gets this
 * task_work.  It runs on the thread's way back to user mode after the
 * uprobe core has set the step up (the saved ip is in the XOL slot, which
 * every window opened from then on leaves unwatched) and before the step,
 * and it waits there until no window is open: a watchpoint armed on the
 * thread before is gone when it steps.  A thread that will not step (its
 * probe was gone, the instruction was emulated) only waits for nothing.
 *
 * Rig-only like the rest of the guard: without xol_guard nothing is
 * queued and nothing of racetrap sleeps between an int3 and its step.
 */
#include <linux/delay.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
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
	unsigned long vaddr;		/* the probed instruction */
};

static void step_guard_fn(struct callback_head *cb)
{
	struct step_guard *g = container_of(cb, struct step_guard, cb);
	struct pt_regs regs;

	/*
	 * Only a thread whose step of @vaddr is set up: an exiting one runs
	 * its task_works too, a caught one may have found its probe gone and
	 * restarted the instruction, and a thread whose saved ip was at a
	 * probed address only because it last entered the kernel there
	 * (unblock cannot tell) is not about to make that access at all.
	 */
	if (!(current->flags & PF_EXITING) &&
	    racetrap_step_pending(current, g->vaddr)) {
		/*
		 * The registers the handler saw but for ip, which is in the
		 * XOL slot now; the scratch register a RIP-relative copy uses
		 * is none the operand uses.
		 */
		regs = *task_pt_regs(current);
		regs.ip = g->vaddr;
		racetrap_sample_before_step(g->tracer, &regs, &g->site);
	}
	racetrap_leave(g->tracer);
	kfree(g);
}

/*
 * @task is on its way from an int3 to the step of @s at @vaddr.  The
 * caller holds a reference on @t; @gfp is GFP_ATOMIC under RCU.
 */
void racetrap_step_guard(struct racetrap_tracer *t, struct task_struct *task,
			 const struct racetrap_site *s, unsigned long vaddr,
			 gfp_t gfp)
{
	struct step_guard *g;

	if (!racetrap_xol_guard_on())
		return;
	g = kmalloc(sizeof(*g), gfp);
	if (!g)
		goto lost;
	atomic_inc(&t->inflight);	/* the caller's keeps it above 0 */
	g->tracer = t;
	g->site = *s;
	g->vaddr = vaddr;
	init_task_work(&g->cb, step_guard_fn);
	/* Fails only for an exiting thread, which will not step. */
	if (!task_work_add(task, &g->cb, TWA_RESUME))
		return;
	racetrap_leave(t);
	kfree(g);
	return;
lost:
	pr_warn_ratelimited("xol_guard: no memory for a step check\n");
}

/* The uprobe handler, after racetrap_step_guard(): the test's delay. */
void racetrap_step_guard_test_delay(void)
{
	unsigned int ms = READ_ONCE(prestep_delay_ms);

	if (ms && racetrap_xol_guard_on())
		msleep(min(ms, 1000U));
}
