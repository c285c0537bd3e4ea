// SPDX-License-Identifier: GPL-2.0
/*
 * Goroutine windows (Documentation/engine.rst).  A Go program runs its
 * goroutines on a few threads, each holding a P with a queue of
 * goroutines to run next; a goroutine's `go` statement or wake-up puts
 * the other goroutine on its own P's queue.  Holding the sampled thread
 * in the kernel holds that P and its queue: the goroutine that races with
 * the sampled one cannot run during the window.  So where userspace named
 * runtime.g's preemption request and stack guard, the window holds the
 * goroutine instead: the module asks Go to preempt it at the sampled
 * instruction as Go's sysmon does (preemptone(): the flag, the guard,
 * SIGURG), Go parks it on the global run queue and runs others on the
 * thread, and every thread, the sampled one too, is watched.  When Go
 * resumes it, its own access (the trap whose R14 is its g) comes first,
 * and the thread it runs on is then held to the deadline.  A new pair
 * trapped, or the deadline with the goroutine still parked, closes the
 * window early.
 *
 * The sample (sample.c) opens one with racetrap_yield_open() where
 * racetrap_yield_g() finds a goroutine to hold; from then on this file
 * owns the slot until the window closes.
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "budget.h"
#include "sample.h"
#include "tracer.h"
#include "value.h"
#include "watch.h"
#include "window.h"
#include "yield.h"

/* A goroutine window's state (racetrap_yield_opening()). */
enum {
	YIELD_IDLE,	/* no goroutine window */
	YIELD_OPENING,	/* being armed and opened: a closer leaves it to the opener */
	YIELD_OPEN,	/* the goroutine is off its thread: the first closer takes it */
	YIELD_BACK,	/* it made its access: its thread is held to the deadline */
	YIELD_CLOSING,	/* a closer took it: no trap is evidence now */
};

/* Go's stackPreempt (-1314): above any stack, so every call checks. */
#define GO_STACK_PREEMPT	(~0UL - 1313)

/*
 * The g of the goroutine sampled at @regs if it can be asked to yield:
 * at a site where Go preempts (not flagged RACETRAP_SITE_F_HOLD_THREAD),
 * with stack bounds that hold RSP, a stack guard Go set (inside the
 * stack, or a preemption already asked for) and a goroutine id (the
 * first context word): a thread's g0 and gsignal, which run the runtime's
 * own code (internal/cpu's set-up on g0, before any goroutine, is not
 * package runtime), have none, and Go must never find them asked to
 * yield (fatal: morestack on g0).  0 otherwise.  Go may resume the
 * goroutine on any thread, so the window must watch every CPU the
 * process runs on (racetrap_sample() drops it if one is left): an
 * unwatched thread would hide its own access, after which it runs on,
 * through the locks and pools that order it with others, while the
 * window still counts traps (seen in the VM: a fmt printer reported as
 * shared, got from sync.Pool by one goroutine after the held one,
 * resumed unseen, put it back).  The offsets it checked are kept in
 * @slot for the request: a CONFIG may change them meanwhile, field by
 * field.
 */
unsigned long racetrap_yield_g(struct racetrap_tracer *t,
			       struct racetrap_slot *slot,
			       const struct pt_regs *regs, u8 site_flags)
{
	u16 guard_off = READ_ONCE(t->cfg.go_guard_off);
	u16 preempt_off = READ_ONCE(t->cfg.go_preempt_off);
	unsigned long g;
	u64 bounds[2], guard, goid;

	if (!guard_off || !preempt_off || !READ_ONCE(t->cfg.nr_ctx) ||
	    (site_flags & RACETRAP_SITE_F_HOLD_THREAD))
		return 0;
	if (!racetrap_mm_read_lock(true))
		return 0;
	g = racetrap_stack_bounds(t, regs, bounds);
	if (g && (racetrap_copy_plain_locked(&guard, g + guard_off,
					     sizeof(guard)) != sizeof(guard) ||
		  racetrap_copy_plain_locked(&goid,
					     g + READ_ONCE(t->cfg.ctx_off[0]),
					     sizeof(goid)) != sizeof(goid)))
		g = 0;
	racetrap_mm_read_unlock();
	if (!g || !goid)
		return 0;
	if (guard != GO_STACK_PREEMPT &&
	    (guard < bounds[0] || guard >= bounds[1]))
		return 0;
	slot->ypreempt_off = preempt_off;
	slot->yguard_off = guard_off;
	return g;
}

/*
 * Ask Go to preempt the goroutine at @g, current's, as preemptone() does.
 * If the sampled instruction is no asynchronous safe point, Go's handler
 * lets it run on, and its access comes at once; the request then waits
 * for its next call, as Go's own does.  Not asked (the g could not be
 * written), the same.
 */
static void request_preempt(unsigned long g, u16 preempt_off, u16 guard_off)
{
	u8 __user *flag = (u8 __user *)(g + preempt_off);
	unsigned long __user *guard = (unsigned long __user *)(g + guard_off);

	if (!put_user((u8)1, flag) && !put_user(GO_STACK_PREEMPT, guard))
		send_sig(SIGURG, current, 1);
}

/* The goroutine window's end, in task context: disarm, report, free. */
static void yield_close(struct racetrap_slot *slot)
{
	struct racetrap_tracer *t = slot->tracer;
	struct racetrap_record *rec = slot->yrec;
	u64 t0 = ktime_get_ns(), held_ns;

	hrtimer_cancel(&slot->ytimer);
	/* After this no trap is recorded: @held_g is no longer needed. */
	racetrap_watch_disarm(&slot->ywatch);
	WRITE_ONCE(slot->held_g, 0);
	held_ns = t0 - slot->yopen_ns;
	/* The goroutine's time off every thread, then its thread's. */
	racetrap_count_add(&t->stats, RACETRAP_STAT_STALL_NS, held_ns);
	if (atomic_read(&slot->nr_hits)) {
		rec->window_ns = held_ns;
		racetrap_report_hits(t, slot, rec,
				     slot->dump_len ?
				     racetrap_slot_dump(slot, RACETRAP_MAX_HITS) :
				     NULL);
	}
	kfree(rec);
	slot->yrec = NULL;
	/*
	 * While the goroutine was off its thread no thread was held: its own
	 * ran other goroutines.  Charged: the arming and this close as
	 * measured, Go's preemption (a signal and two goroutine switches) at
	 * a bound, and the thread held after its access as any stall.  A
	 * goroutine held with a lock held makes others wait, not spin: Go's
	 * mutexes spin a few rounds at most, then park (engine.rst,
	 * "Goroutine windows").
	 */
	racetrap_budget_charge_window(t, slot->yarm_ns + ktime_get_ns() - t0 +
				      2 * RACETRAP_COST_DB_ENTRY_NS +
				      slot->yback_ns, slot->yback_ns,
				      slot->ywatch.others);
	atomic_set(&slot->ystate, YIELD_IDLE);
	racetrap_slot_release(t, slot);
	racetrap_leave(t);
}

/*
 * Take @slot's goroutine window to close it: true if it was open and the
 * caller now closes it.  One still being opened is only marked CLOSING:
 * its opener, which owns the slot until the window is open, closes it
 * (racetrap_yield_open()).  Any context.
 */
static bool yield_take(struct racetrap_slot *slot)
{
	int old = atomic_read(&slot->ystate);

	for (;;) {
		if (old != YIELD_OPEN && old != YIELD_OPENING)
			return false;
		if (atomic_try_cmpxchg(&slot->ystate, &old, YIELD_CLOSING))
			return old == YIELD_OPEN;
	}
}

static void yield_close_fn(struct callback_head *cb)
{
	yield_close(container_of(cb, struct racetrap_slot, yclose));
}

/*
 * Task context of the thread the goroutine made its access in, before it
 * runs on: hold it to the window's deadline, then close.  Right after
 * its access the goroutine has done nothing since, so a conflicting
 * access that traps meanwhile is as concurrent with it as one before:
 * DataCollider's window, from the other end.  It gives a goroutine that
 * Go resumed at once (an idle P took it from the global run queue) the
 * window a held thread would have had.
 */
static void yield_back_fn(struct callback_head *cb)
{
	struct racetrap_slot *slot =
		container_of(cb, struct racetrap_slot, yclose);
	struct racetrap_tracer *t = slot->tracer;
	u64 end = slot->yopen_ns +
		  (u64)READ_ONCE(t->cfg.window_us) * NSEC_PER_USEC;
	u64 now = ktime_get_ns();

	slot->yback_ns = 0;
	if (now < end) {
		racetrap_sample_stall(t, slot,
				      div_u64(end - now, NSEC_PER_USEC) + 1);
		slot->yback_ns = ktime_get_ns() - now;
	}
	atomic_set(&slot->ystate, YIELD_CLOSING);
	yield_close(slot);
}

/*
 * Close from a worker in the target's address space while it has one, so
 * the trapped goroutines' ids are read as in a thread of the target.
 */
static void yield_close_remote(struct racetrap_slot *slot)
{
	struct mm_struct *mm = slot->tracer->mm;
	bool used = mmget_not_zero(mm);

	if (used)
		kthread_use_mm(mm);
	yield_close(slot);
	if (used) {
		kthread_unuse_mm(mm);
		mmput(mm);
	}
}

/* The deadline, a teardown, or a trap whose close could not be queued. */
static void yield_work_fn(struct work_struct *work)
{
	struct racetrap_slot *slot =
		container_of(work, struct racetrap_slot, ywork);

	if (xchg(&slot->yorphan, false)) {
		yield_close_remote(slot);
		return;
	}
	if (!yield_take(slot))
		return;
	racetrap_count(&slot->tracer->stats, RACETRAP_STAT_YIELDS_TIMEOUT);
	yield_close_remote(slot);
}

static enum hrtimer_restart yield_deadline(struct hrtimer *timer)
{
	struct racetrap_slot *slot =
		container_of(timer, struct racetrap_slot, ytimer);

	queue_work(system_unbound_wq, &slot->ywork);
	return HRTIMER_NORESTART;
}

void racetrap_yield_slot_init(struct racetrap_slot *slot)
{
	atomic_set(&slot->ystate, YIELD_IDLE);
	hrtimer_init(&slot->ytimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	slot->ytimer.function = yield_deadline;
	INIT_WORK(&slot->ywork, yield_work_fn);
}

/* No deadline or close of @slot's runs after this (tracer teardown). */
void racetrap_yield_slot_flush(struct racetrap_slot *slot)
{
	hrtimer_cancel(&slot->ytimer);
	cancel_work_sync(&slot->ywork);
}

/*
 * A new pair trapped while the goroutine is off its thread: close the
 * window in current's task context, before current runs on.  #DB
 * context.
 */
static void yield_end(struct racetrap_slot *slot)
{
	if (!yield_take(slot))
		return;
	init_task_work(&slot->yclose, yield_close_fn);
	if (!task_work_add(current, &slot->yclose, TWA_RESUME))
		return;
	WRITE_ONCE(slot->yorphan, true);
	queue_work(system_unbound_wq, &slot->ywork);
}

/* A trap ended @slot's window: let its owner close it.  #DB context. */
void racetrap_yield_close_on_hit(struct racetrap_slot *slot)
{
	if (READ_ONCE(slot->held_g) &&
	    atomic_read(&slot->ystate) != YIELD_BACK)
		yield_end(slot);
	else
		racetrap_sample_wake(slot);
}

/*
 * A trap in @slot's window by the thread whose registers are @regs, just
 * after its access: true if it is the held goroutine's own access (no
 * conflict: its thread is then held to the deadline, yield_back_fn()),
 * or comes after a goroutine window began to close.  #DB context.
 */
bool racetrap_yield_trap(struct racetrap_slot *slot,
			 const struct pt_regs *regs)
{
	unsigned long g = READ_ONCE(slot->held_g);

	if (!g)
		return false;
	/*
	 * Being closed, by its deadline's worker, say: nothing holds the
	 * goroutine any more (Go may have resumed it, and it may have gone
	 * on past the locks and pools that order it with the others), so
	 * no trap from now on is evidence.  Seen in the VM before this:
	 * goroutines the held one started after its access, and fmt
	 * printers it had put back into sync.Pool, reported against it.
	 */
	if (atomic_read(&slot->ystate) == YIELD_CLOSING)
		return true;
	if (regs->r14 != g)
		return false;
	if (atomic_cmpxchg(&slot->ystate, YIELD_OPEN, YIELD_BACK) !=
	    YIELD_OPEN)
		return true;
	racetrap_count(&slot->tracer->stats, RACETRAP_STAT_YIELDS_BACK);
	init_task_work(&slot->yclose, yield_back_fn);
	if (!task_work_add(current, &slot->yclose, TWA_RESUME))
		return true;
	/* An exiting thread: close from a worker, unheld. */
	atomic_set(&slot->ystate, YIELD_CLOSING);
	WRITE_ONCE(slot->yorphan, true);
	queue_work(system_unbound_wq, &slot->ywork);
	return true;
}

/*
 * @slot, just claimed, may become a goroutine window: from here until
 * racetrap_yield_open() or racetrap_yield_abandon(), a closer (a new pair
 * trapped, a teardown) marks it for the opener to close.  Before the
 * arming.  Task context.
 */
void racetrap_yield_opening(struct racetrap_slot *slot)
{
	/*
	 * A deadline's work queued in the slot's last window, while its
	 * goroutine's thread was held, may not have run yet: it must not
	 * take this window for its own.
	 */
	cancel_work_sync(&slot->ywork);
	/* Full barrier: a trap after the arming sees it. */
	atomic_xchg(&slot->ystate, YIELD_OPENING);
}

/* The sample did not open its goroutine window: nothing is left of it. */
void racetrap_yield_abandon(struct racetrap_slot *slot)
{
	atomic_set(&slot->ystate, YIELD_IDLE);
}

/*
 * Open @w's window as a goroutine window: keep the sampled side's record,
 * let the slot and its watchpoints outlive this sample, and ask Go to
 * preempt the goroutine.  False (nothing changed) if the tracer is
 * stopping or no record could be had.
 */
bool racetrap_yield_open(struct racetrap_tracer *t, struct racetrap_slot *slot,
			 const struct racetrap_window *w, unsigned long g,
			 ktime_t t0)
{
	struct racetrap_record *rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	/* The slot may be closed and claimed again once the window is open. */
	u16 preempt_off = slot->ypreempt_off, guard_off = slot->yguard_off;

	if (!rec)
		return false;
	if (!racetrap_enter(t)) {
		kfree(rec);
		return false;
	}
	racetrap_fill_header(t, w, rec, RACETRAP_REC_HIT);
	/* Its value is not read again: its own access may come first. */
	rec->flags |= RACETRAP_REC_F_VALUE_AFTER_UNKNOWN;
	racetrap_dump_sampled(slot, w->regs);
	slot->yrec = rec;
	slot->yback_ns = 0;
	racetrap_count(&t->stats, RACETRAP_STAT_YIELDS);
	slot->yopen_ns = ktime_get_ns();
	slot->yarm_ns = slot->yopen_ns - ktime_to_ns(t0);
	/*
	 * Everything a closer touches is set before the window is open: a
	 * close then cancels this deadline and finds the times.
	 */
	hrtimer_start(&slot->ytimer,
		      ns_to_ktime((u64)READ_ONCE(t->cfg.window_us) * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
	/* A closer came while it was being opened: it is the opener's. */
	if (atomic_cmpxchg(&slot->ystate, YIELD_OPENING, YIELD_OPEN) !=
	    YIELD_OPENING) {
		yield_close(slot);
		return true;
	}
	/* A new pair trapped while the threads were being armed. */
	if (READ_ONCE(slot->closing)) {
		if (yield_take(slot))
			yield_close(slot);
		return true;
	}
	/* A close from here on leaves the tracer entered by the caller. */
	request_preempt(g, preempt_off, guard_off);
	return true;
}

/* Teardown: close an open goroutine window now, not at its deadline. */
void racetrap_yield_kick(struct racetrap_slot *slot)
{
	int state = atomic_read(&slot->ystate);

	if (state == YIELD_OPEN || state == YIELD_OPENING)
		queue_work(system_unbound_wq, &slot->ywork);
}
