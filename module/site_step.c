// SPDX-License-Identifier: GPL-2.0
/*
 * Site samples are taken after the probed instruction's single-step, not
 * in the uprobe handler.  The handler runs between the int3 and the
 * out-of-line step of the instruction's copy; a thread that sleeps there
 * (a window) is scheduled out with its saved ip already in the XOL slot,
 * and the rseq fix-up on its way back to user mode, finding that ip
 * outside the thread's critical section, neither aborts nor restarts it:
 * per-CPU data of rseq users loses updates.  So the handler only keeps
 * what the sample needs (the site, the registers before the access) in a
 * step record, and nothing of racetrap sleeps until the step is done:
 *
 *  - the step's #DB (DR_STEP, user mode) reaches this die notifier, which
 *    runs before uprobes' own (a lower priority) and queues a task_work;
 *  - the return-to-user loop handles uprobes' TIF_UPROBE, whose post-step
 *    fix-up puts ip back in the original code after the instruction,
 *    before TIF_NOTIFY_RESUME, whose task_work_run() samples.  The rseq
 *    fix-up follows the task_work in the same pass and sees that ip.
 *
 * A step that never comes (the thread died, the copy faulted, uprobes
 * emulated the instruction instead) leaves its record pending until the
 * thread's next probe hit, the tick or teardown reclaims it.  Pending
 * records are few (one per thread between int3 and step) and the notifier
 * has only current to go by, so they live in one small pool for the whole
 * module.  The notifier is registered only while some tracer is attached
 * (tracer.c): a loaded, idle module adds nothing to the #DB path.
 */
#include <linux/bitops.h>
#include <linux/kdebug.h>
#include <linux/ktime.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/task_work.h>
#include <linux/uprobes.h>
#include <asm/debugreg.h>
#include "sample.h"
#include "site_step.h"
#include "tracer.h"

#define SITE_STEPS	BITS_PER_LONG

/* A record's life; the notifier and the reclaimer contend for PENDING. */
enum {
	STEP_IDLE,
	STEP_PENDING,	/* between the handler and the step */
	STEP_QUEUED,	/* stepped: task_work queued to sample */
	STEP_CLEANING,	/* being reclaimed */
};

struct racetrap_site_step {
	struct callback_head cb;
	atomic_t state;
	struct task_struct *task;	/* compared, never dereferenced */
	pid_t tid;			/* with @task: not a reused one */
	u64 since;			/* ktime_get_ns() at the int3 */
	struct racetrap_tracer *tracer;	/* holds an inflight reference */
	struct racetrap_site_ref ref;
	struct pt_regs regs;		/* before the access, ip on the site */
};

static struct racetrap_site_step steps[SITE_STEPS];
static unsigned long steps_busy;

static void release(struct racetrap_site_step *s)
{
	struct racetrap_tracer *t = s->tracer;

	atomic_set(&s->state, STEP_IDLE);
	clear_bit_unlock(s - steps, &steps_busy);
	racetrap_leave(t);
}

/*
 * Task context, on the way back to user mode after the step, before any
 * signal frame (get_signal() runs task_work first): ip is back in the
 * original code.
 */
static void step_sample_fn(struct callback_head *cb)
{
	struct racetrap_site_step *s =
		container_of(cb, struct racetrap_site_step, cb);
	struct racetrap_tracer *t = s->tracer;

	if (!READ_ONCE(t->stopping) && !(current->flags & PF_EXITING) &&
	    current->mm == t->mm)
		racetrap_sample(t, &s->regs, &s->ref,
				RACETRAP_REC_TRIGGER_SITE);
	release(s);
}

/* Take back @s from PENDING, counting its sample lost. */
static void reclaim(struct racetrap_site_step *s)
{
	if (atomic_cmpxchg(&s->state, STEP_PENDING, STEP_CLEANING) !=
	    STEP_PENDING)
		return;
	racetrap_count(&s->tracer->stats, RACETRAP_STAT_SITE_STEPS_LOST);
	release(s);
}

static bool is_current(const struct racetrap_site_step *s)
{
	return READ_ONCE(s->task) == current && READ_ONCE(s->tid) == current->pid;
}

/*
 * Uprobe handler, task context of the thread that hit the probe, before
 * its step; the caller holds a reference on @t.  Never sleeps.  Returns
 * whether a sample will be taken after the step.
 */
bool racetrap_site_step_expect(struct racetrap_tracer *t,
			       const struct pt_regs *regs,
			       const struct racetrap_site_ref *ref)
{
	unsigned long busy = READ_ONCE(steps_busy);
	struct racetrap_site_step *s;
	unsigned int i;

	/*
	 * A record of current's own whose step never came (an emulated or
	 * faulting copy): current is at an int3 now, so that step will not
	 * come, and its next one is this hit's.
	 */
	for_each_set_bit(i, &busy, SITE_STEPS)
		if (atomic_read_acquire(&steps[i].state) == STEP_PENDING &&
		    is_current(&steps[i]))
			reclaim(&steps[i]);
	for (i = 0; i < SITE_STEPS; i++)
		if (!test_and_set_bit_lock(i, &steps_busy))
			break;
	if (i == SITE_STEPS) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_BUSY);
		return false;
	}
	s = &steps[i];
	atomic_inc(&t->inflight);	/* the caller's keeps it above 0 */
	s->tracer = t;
	s->ref = *ref;
	s->regs = *regs;
	WRITE_ONCE(s->task, current);
	WRITE_ONCE(s->tid, current->pid);
	s->since = ktime_get_ns();
	/* The fields above before the state; pairs with the acquire below. */
	atomic_set_release(&s->state, STEP_PENDING);
	return true;
}

/* #DB context, before uprobes' notifier: queue current's sample. */
static int step_notify(struct notifier_block *nb, unsigned long val,
		       void *data)
{
	struct die_args *args = data;
	unsigned long busy;
	unsigned int i;

	/*
	 * err points at the #DB's DR6 (notify_debug() in traps.c); a step
	 * of uprobes' is one with an active uprobe.
	 */
	if (val != DIE_DEBUG || !args->regs || !user_mode(args->regs) ||
	    !(*(unsigned long *)ERR_PTR(args->err) & DR_STEP) ||
	    !current->utask || !current->utask->active_uprobe)
		return NOTIFY_DONE;
	busy = READ_ONCE(steps_busy);
	for_each_set_bit(i, &busy, SITE_STEPS) {
		struct racetrap_site_step *s = &steps[i];

		if (atomic_read_acquire(&s->state) != STEP_PENDING ||
		    !is_current(s) ||
		    atomic_cmpxchg(&s->state, STEP_PENDING, STEP_QUEUED) !=
		    STEP_PENDING)
			continue;
		/* Reclaimed and claimed by another thread in between? */
		if (!is_current(s)) {
			atomic_set(&s->state, STEP_PENDING);
			continue;
		}
		init_task_work(&s->cb, step_sample_fn);
		/* Cannot fail for a thread in user mode; if it did: lost. */
		if (task_work_add(current, &s->cb, TWA_RESUME)) {
			racetrap_count(&s->tracer->stats,
				       RACETRAP_STAT_SITE_STEPS_LOST);
			release(s);
		}
		break;
	}
	/* Never consumed here: uprobes handles the step itself. */
	return NOTIFY_DONE;
}

/*
 * Reclaim @t's records whose step has not come RACETRAP_PRESTEP_MAX_NS
 * after the int3 (checked at each tick), or all of them (teardown, once
 * no handler runs any more).  Process context.
 */
void racetrap_site_step_expire(struct racetrap_tracer *t, bool all)
{
	unsigned long busy = READ_ONCE(steps_busy);
	u64 now = ktime_get_ns();
	unsigned int i;

	for_each_set_bit(i, &busy, SITE_STEPS) {
		struct racetrap_site_step *s = &steps[i];

		if (atomic_read_acquire(&s->state) != STEP_PENDING ||
		    READ_ONCE(s->tracer) != t ||
		    (!all && now < READ_ONCE(s->since) + RACETRAP_PRESTEP_MAX_NS))
			continue;
		reclaim(s);
	}
}

/*
 * After kprobes' and the hardware breakpoint notifier (INT_MAX, first
 * registered), before uprobes' (INT_MAX - 1), which stops the chain on
 * its step.
 */
static struct notifier_block step_nb = {
	.notifier_call = step_notify,
	.priority = INT_MAX,
};

int racetrap_site_step_register(void)
{
	return register_die_notifier(&step_nb);
}

void racetrap_site_step_unregister(void)
{
	unregister_die_notifier(&step_nb);
}
