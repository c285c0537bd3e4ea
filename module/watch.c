// SPDX-License-Identifier: GPL-2.0
/*
 * Arming: one user hardware breakpoint per other live thread, up to
 * watch_threads of them (threads.c picks which), registered for this
 * window only.  Debug registers are shared with gdb and perf, so
 * racetrap holds them only while a window is open, and a thread whose
 * registers are all taken (ENOSPC) makes the whole sample skip rather
 * than steal one.  Threads are enumerated at every sample, so threads
 * created after attach are covered and exited ones cost nothing.
 *
 * The trap handler runs in #DB context with interrupts off: it only
 * copies registers, a frame-pointer stack and, when asked, a stack dump
 * (no sleeping, no faults, no locks but an atomic index) into the slot's
 * preallocated hit array and dump buffer.
 */
#include <linux/hw_breakpoint.h>
#include <linux/moduleparam.h>
#include <linux/perf_event.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "budget.h"
#include "compat.h"
#include "pairs.h"
#include "sample.h"
#include "yield.h"
#include "sites.h"
#include "stack.h"
#include "threads.h"
#include "tracer.h"
#include "watch.h"

/*
 * Record a conflicting access of current, with @regs as they are just
 * after it.  #DB context.
 */
static void record_hit(struct racetrap_slot *slot, const struct pt_regs *regs)
{
	struct racetrap_tracer *t = slot->tracer;
	u64 t0 = local_clock();
	struct racetrap_hit *h;
	int i;

	i = atomic_inc_return(&slot->nr_hits) - 1;
	if (i >= RACETRAP_MAX_HITS) {
		racetrap_count(&t->stats, RACETRAP_STAT_HITS_OVERFLOW);
		return;
	}
	h = &slot->hits[i];
	h->tid = __task_pid_nr_ns(current, PIDTYPE_PID, t->pid_ns);
	h->ts = ktime_get_mono_fast_ns();
	h->regs = *regs;
	h->regs.ip = racetrap_xol_fixup_ip(current, regs->ip);
	h->nr_frames = racetrap_user_stack(&h->regs, h->stack,
					   slot->stack_depth);
	h->dump_size = 0;
	if (slot->dump_len)
		h->dump_size = racetrap_user_dump(&h->regs,
						  racetrap_slot_dump(slot, i),
						  slot->dump_len,
						  RACETRAP_DUMP_TRAPPED, false);
	racetrap_budget_charge(t, local_clock() - t0);
	/*
	 * A pair not seen yet is the window's finding: let the sampled
	 * thread close it.  A known pair keeps it open for a conflict behind
	 * it (pairs.c), while the hit array has room for one.
	 */
	if (i < RACETRAP_MAX_HITS - 1 &&
	    racetrap_pairs_known(&t->seen_pairs, slot->sampled_ip, h->regs.ip)) {
		racetrap_count(&t->stats, RACETRAP_STAT_HITS_KNOWN);
		return;
	}
	WRITE_ONCE(slot->closing, true);
	racetrap_yield_close_on_hit(slot);
}

/*
 * QEMU 7.2's TCG (Debian 12's) reports a write watchpoint as hit by a
 * misaligned store anywhere in the watched page below the store's end;
 * real debug registers compare bytes.  With tcg_store_check, which only
 * the test rig sets, a trap after a known write-only site that was
 * misaligned and missed the watched range is the emulator's and is
 * dropped.  A plain store leaves its address registers as it used them;
 * a stos moves %rdi on, so under the rig its trap may be dropped too.
 */
static bool tcg_store_check;
module_param(tcg_store_check, bool, 0444);
MODULE_PARM_DESC(tcg_store_check,
		 "Drop watchpoint hits of misaligned stores outside the watched range (for QEMU TCG; default off)");

static bool emulator_phantom(struct racetrap_slot *slot,
			     const struct perf_event *bp,
			     const struct pt_regs *regs)
{
	struct racetrap_site_ref ref;
	unsigned long a;
	unsigned int size;

	if (!tcg_store_check ||
	    !racetrap_sites_find_ending(slot->tracer, regs->ip, &ref) ||
	    ref.site.access != RACETRAP_ACCESS_WRITE)
		return false;
	size = ref.site.size;
	a = racetrap_operand_addr(&ref.site, regs, regs->ip);
	if (!(a & (size - 1)))
		return false;
	return a >= bp->attr.bp_addr + bp->attr.bp_len ||
	       bp->attr.bp_addr >= a + size;
}

/*
 * A goroutine window on a sampled read watches reads too, so that the
 * goroutine's own read ends it: another's read at a site known to only
 * read is no conflict, and is let through.
 */
static bool read_of_read(struct racetrap_slot *slot, const struct pt_regs *regs)
{
	struct racetrap_site_ref ref;

	return slot->sampled_read && READ_ONCE(slot->held_g) &&
	       racetrap_sites_find_ending(slot->tracer, regs->ip, &ref) &&
	       ref.site.access == RACETRAP_ACCESS_READ;
}

static void hit_handler(struct perf_event *bp, struct perf_sample_data *data,
			struct pt_regs *regs)
{
	struct racetrap_slot *slot = bp->overflow_handler_context;

	/*
	 * A syscall touching the word traps in the kernel: not a user race.
	 * A thread that called exec keeps its watchpoint until the window
	 * closes, and the new image (setuid, maybe) is none of the tracer's
	 * business.
	 */
	if (user_mode(regs) && current->mm == slot->tracer->mm) {
		racetrap_budget_charge_bound(slot->tracer,
					     RACETRAP_COST_DB_ENTRY_NS);
		if (racetrap_yield_trap(slot, regs) ||
		    read_of_read(slot, regs))
			return;
		if (emulator_phantom(slot, bp, regs)) {
			racetrap_count(&slot->tracer->stats,
				       RACETRAP_STAT_HITS_EMULATOR);
			return;
		}
		record_hit(slot, regs);
	}
}

/*
 * Returns 0 with @w armed, -ENOSPC when some thread has no debug register
 * free, -ESRCH when there is no other thread, -ENOMEM.  With @self,
 * current is watched too (a goroutine window: its thread runs others).
 * Threads beyond watch_threads are left unwatched (@w->left counts
 * them).
 */
int racetrap_watch_arm(struct racetrap_slot *slot, unsigned long addr,
		       unsigned int len, bool writes_only, bool self,
		       struct racetrap_watch *w)
{
	struct perf_event_attr attr;
	struct task_struct **tasks;
	unsigned int nr, i;
	int ret = 0;

	tasks = racetrap_threads(current, self ? NULL : current,
				 READ_ONCE(slot->tracer->cfg.watch_threads),
				 &nr, &w->left);
	if (!tasks)
		return -ENOMEM;
	if (!nr) {
		kfree(tasks);
		return -ESRCH;
	}
	w->cap = nr + RACETRAP_WATCH_JOINS;
	w->bps = kcalloc(w->cap, sizeof(*w->bps), GFP_KERNEL);
	w->nr = 0;
	if (!w->bps) {
		racetrap_put_threads(tasks, nr);
		return -ENOMEM;
	}

	hw_breakpoint_init(&attr);
	attr.bp_addr = addr;
	attr.bp_len = len;
	attr.bp_type = writes_only ? HW_BREAKPOINT_W :
				     HW_BREAKPOINT_W | HW_BREAKPOINT_R;
	attr.disabled = 0;
	/* An exec in that thread takes it out at once (perf_event_exec()). */
	attr.remove_on_exec = 1;
	w->attr = attr;

	for (i = 0; i < nr; i++) {
		struct perf_event *bp;

		bp = register_user_hw_breakpoint(&attr, hit_handler, slot,
						 tasks[i]);
		if (IS_ERR(bp)) {
			/* A thread on its way out is simply not watched. */
			if (PTR_ERR(bp) == -ESRCH)
				continue;
			ret = PTR_ERR(bp);
			break;
		}
		w->bps[w->nr++] = bp;
	}
	racetrap_put_threads(tasks, nr);
	if (!ret && !w->nr)
		ret = -ESRCH;
	if (ret)
		racetrap_watch_disarm(w);
	return ret;
}

/*
 * An execute breakpoint at @ip in @task, for the triggers: it stops the
 * thread before the instruction there executes.  An exec takes it out at
 * once: the new image is not the tracer's.
 */
struct perf_event *racetrap_exec_bp(unsigned long ip,
				    perf_overflow_handler_t fn, void *ctx,
				    struct task_struct *task)
{
	struct perf_event_attr attr;

	hw_breakpoint_init(&attr);
	attr.bp_addr = ip;
	/* x86 asks for an execute breakpoint with this length. */
	attr.bp_len = sizeof(long);
	attr.bp_type = HW_BREAKPOINT_X;
	attr.disabled = 0;
	attr.remove_on_exec = 1;
	return register_user_hw_breakpoint(&attr, fn, ctx, task);
}

/*
 * The window of @slot is open with @w armed: threads born from now until
 * racetrap_watch_close() may join it.
 */
void racetrap_watch_open(struct racetrap_slot *slot, struct racetrap_watch *w)
{
	mutex_lock(&slot->join_lock);
	slot->watch = w;
	mutex_unlock(&slot->join_lock);
}

/* No thread joins the window after this; its disarming comes next. */
void racetrap_watch_close(struct racetrap_slot *slot)
{
	mutex_lock(&slot->join_lock);
	slot->watch = NULL;
	mutex_unlock(&slot->join_lock);
}

/*
 * current, a thread of the target born while @slot's window is open, on
 * its way to its first user instruction (trigger_site.c): watch the word
 * in it too.  The arming enumerated the threads once, and a service
 * spawns a thread per request: the request that races with the sampled
 * access is often one started during the window.  Registering in
 * current's own context needs no cross-CPU call.  Never waits: a window
 * being opened or closed is left alone.  Returns 1 if it joined, 0 if
 * it was watched already (a thread that joined the thread list before the
 * arming counted the threads, but runs its birth work only now: a second
 * breakpoint would record each of its accesses twice), -EAGAIN if it is
 * not watched.
 */
int racetrap_watch_join(struct racetrap_slot *slot)
{
	struct racetrap_watch *w;
	struct perf_event *bp;
	int ret = -EAGAIN;
	unsigned int i;

	if (!mutex_trylock(&slot->join_lock))
		return -EAGAIN;
	w = slot->watch;
	for (i = 0; w && i < w->nr && ret; i++)
		if (w->bps[i]->hw.target == current)
			ret = 0;
	if (ret && w && w->nr < w->cap && !READ_ONCE(slot->closing)) {
		bp = register_user_hw_breakpoint(&w->attr, hit_handler, slot,
						 current);
		if (!IS_ERR(bp)) {
			w->bps[w->nr++] = bp;
			ret = 1;
		}
	}
	mutex_unlock(&slot->join_lock);
	return ret;
}

/* After this no hit_handler() runs for @w (release waits for it). */
void racetrap_watch_disarm(struct racetrap_watch *w)
{
	unsigned int i;

	for (i = 0; i < w->nr; i++)
		unregister_hw_breakpoint(w->bps[i]);
	kfree(w->bps);
	w->bps = NULL;
	w->nr = 0;
}
