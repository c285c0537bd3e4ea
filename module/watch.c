// SPDX-License-Identifier: GPL-2.0
/*
 * Arming: a window borrows a set of breakpoints, one per CPU, moves them
 * to the sampled word and enables them on the CPUs the target's threads
 * may run on; every thread of the target that runs there during the window is
 * watched, those born in it too.  A window so costs the same whatever
 * the thread count: a cross-CPU call per CPU to enable, one to disable.
 * The breakpoints are lent by watch_pool.c and fire for any process on
 * those CPUs that touches the address: the handler keeps the target's
 * user-mode accesses only.
 *
 * The trap handler runs in #DB context with interrupts off: it only
 * copies registers, a frame-pointer stack and, when asked, a stack dump
 * (no sleeping, no faults, no locks but an atomic index) into the slot's
 * preallocated hit array and dump buffer.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/hw_breakpoint.h>
#include <linux/moduleparam.h>
#include <linux/perf_event.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "budget.h"
#include "compat.h"
#include "pairs.h"
#include "sample.h"
#include "yield.h"
#include "sites.h"
#include "stack.h"
#include "tracer.h"
#include "watch.h"
#include "window.h"
#include "watch_pool.h"

/*
 * Record a conflicting access of current, with @regs as they are just
 * after it.  #DB context.
 */
static void record_hit(struct racetrap_slot *slot, const struct pt_regs *regs,
		       bool maybe_read)
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
	/*
	 * Now: by the window's end a goroutine that trapped may have exited
	 * and its g gone to another, with another id and stack.
	 */
	h->ctx_flags = racetrap_read_ctx(t, &h->regs, h->ctx, false);
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
	 * it (pairs.c), while the hit array has room for one; so does a
	 * trap that may be a read in a window on a read (userspace decodes
	 * it).
	 */
	if (i < RACETRAP_MAX_HITS - 1 &&
	    (maybe_read || racetrap_pairs_known(&t->seen_pairs,
						slot->sampled_ip,
						h->regs.ip))) {
		if (!maybe_read)
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

/* Is the user instruction at @ip a rep/repne string one (movs, stos...)? */
static bool rep_string_at(unsigned long ip)
{
	u8 b[3];
	unsigned int i = 1;

	if (copy_from_user_nofault(b, (const void __user *)ip, sizeof(b)) ||
	    (b[0] != 0xf3 && b[0] != 0xf2))
		return false;
	if ((b[1] & 0xf0) == 0x40)	/* REX */
		i++;
	return (b[i] >= 0xa4 && b[i] <= 0xa7) || (b[i] >= 0xaa && b[i] <= 0xaf);
}

/* Does an access of @size bytes at @a touch @bp's range? */
static bool touches(const struct perf_event *bp, unsigned long a,
		    unsigned int size)
{
	return a < bp->attr.bp_addr + bp->attr.bp_len &&
	       bp->attr.bp_addr < a + size;
}

/*
 * A call through memory (a function pointer, a vtable) that read @bp's
 * word: it traps with the callee's ip, before the callee's first
 * instruction, so its site ends at the return address it pushed, and
 * the registers but RSP are as the call found them.
 */
static bool call_read(struct racetrap_slot *slot, const struct perf_event *bp,
		      const struct pt_regs *regs)
{
	struct racetrap_site_ref ref;
	struct pt_regs at_call;
	unsigned long ret, a, target;

	if (copy_from_user_nofault(&ret, (const void __user *)regs->sp,
				   sizeof(ret)) ||
	    !racetrap_sites_find_ending(slot->tracer, ret, &ref) ||
	    ref.site.access != RACETRAP_ACCESS_READ)
		return false;
	at_call = *regs;
	at_call.sp += sizeof(ret);
	a = racetrap_operand_addr(&ref.site, &at_call, ret);
	/*
	 * The pointer it loaded is where we are: else the callee's first
	 * instruction, not a site, touched the word with [sp] unchanged.
	 */
	return touches(bp, a, ref.site.size) &&
	       !copy_from_user_nofault(&target, (const void __user *)a,
				       sizeof(target)) &&
	       target == regs->ip;
}

/*
 * Every window watches reads too (a breakpoint's type is never changed,
 * watch_pool.c).  In a window on a read, a read at a site known
 * to only read is no conflict: 1, let through.  A trap at a site not
 * known may be either: 2, recorded with the window kept open.  0: a
 * write, or a window on a write.  A rep string instruction trapped
 * before its last round has its own ip, not the next one's: the site
 * ending there is the instruction before it, and says nothing.
 */
static int read_of_read(struct racetrap_slot *slot, const struct perf_event *bp,
			const struct pt_regs *regs)
{
	struct racetrap_site_ref ref;

	if (!slot->sampled_read)
		return 0;
	if (rep_string_at(regs->ip))
		return 2;
	if (racetrap_sites_find_ending(slot->tracer, regs->ip, &ref))
		return ref.site.access == RACETRAP_ACCESS_READ;
	return call_read(slot, bp, regs) ? 1 : 2;
}

void racetrap_watch_hit(struct perf_event *bp, struct perf_sample_data *data,
			struct pt_regs *regs)
{
	struct racetrap_watch_set *set = bp->overflow_handler_context;
	struct racetrap_slot *slot = READ_ONCE(set->owner);
	int rr;

	/*
	 * A syscall touching the word traps in the kernel: not a user race.
	 * Other processes on the CPU, and a thread of the target that
	 * called exec (the new image, setuid maybe, is none of the tracer's
	 * business), have another mm; a vfork child shares it, but is no
	 * thread of the target.  The held thread is not watched.
	 */
	if (!slot || !user_mode(regs) ||
	    current->mm != READ_ONCE(slot->tracer->mm) ||
	    task_tgid(current) != READ_ONCE(slot->tracer->tgid) ||
	    current == READ_ONCE(slot->watch_skip))
		return;
	racetrap_budget_charge_bound(slot->tracer, RACETRAP_COST_DB_ENTRY_NS);
	if (racetrap_yield_trap(slot, regs))
		return;
	rr = read_of_read(slot, bp, regs);
	if (rr == 1)
		return;
	if (emulator_phantom(slot, bp, regs)) {
		racetrap_count(&slot->tracer->stats,
			       RACETRAP_STAT_HITS_EMULATOR);
		return;
	}
	record_hit(slot, regs, rr == 2);
}

/*
 * The CPUs @task's threads may run on, online ones only, in @mask.  A
 * thread that changes its affinity during the window may run unwatched
 * on a CPU outside it; the scan is a list walk, no cross-CPU call.
 */
static void target_cpus(struct task_struct *task, struct cpumask *mask)
{
	struct task_struct *th;

	cpumask_clear(mask);
	rcu_read_lock();
	for_each_thread(task, th)
		cpumask_or(mask, mask, &th->cpus_mask);
	rcu_read_unlock();
	cpumask_and(mask, mask, cpu_online_mask);
}

/*
 * Returns 0 with @w armed, -ESRCH when there is no other thread, -ENOSPC
 * when no set of breakpoints could be made (a debugger holds the debug
 * registers), -EBUSY when every set is lent (other windows, of this
 * target or another), -ENOMEM.  With @self, current is watched too (a
 * goroutine window: its thread runs others).  Each CPU a thread of the
 * target may run on gets its breakpoint moved to the word and enabled:
 * one cross-CPU call per CPU, whatever the thread count, and a thread
 * born during the window is watched as soon as it runs.  The type never
 * changes (watch_pool.c): a window on a read sees reads too, and the
 * #DB side sorts them (read_of_read()).
 */
int racetrap_watch_arm(struct racetrap_slot *slot, unsigned long addr,
		       unsigned int len, bool self, struct racetrap_watch *w)
{
	struct perf_event_attr attr;
	struct perf_event **bps;
	unsigned int cpu;
	int ret = 0;

	w->nr = 0;
	w->left = 0;
	w->others = get_nr_threads(current) - 1;
	if (!self && !w->others)
		return -ESRCH;
	if (!zalloc_cpumask_var(&w->cpus, GFP_KERNEL))
		return -ENOMEM;
	WRITE_ONCE(slot->watch_skip, self ? NULL : current);
	w->set = racetrap_watch_pool_claim(slot, &ret);
	if (!w->set) {
		free_cpumask_var(w->cpus);
		return ret;
	}
	bps = w->set->bps;
	racetrap_watch_attr(&attr, addr, len, false);
	cpus_read_lock();
	target_cpus(current, w->cpus);
	for_each_cpu(cpu, w->cpus) {
		/* A CPU brought online since the set was made has none. */
		if (!bps[cpu]) {
			cpumask_clear_cpu(cpu, w->cpus);
			w->left++;
			continue;
		}
		ret = modify_user_hw_breakpoint(bps[cpu], &attr);
		if (ret) {
			/* Left as it was: enabled, on the last window's word. */
			perf_event_disable(bps[cpu]);
			break;
		}
		/*
		 * Enabling is a call on that CPU, which schedules the event
		 * in.  One that is not in (perf took it off when the CPU
		 * went offline and never puts it back) does not watch.
		 */
		if (READ_ONCE(bps[cpu]->state) != PERF_EVENT_STATE_ACTIVE)
			w->left++;
		else
			w->nr++;
	}
	cpus_read_unlock();
	if (!ret && !w->nr)
		ret = -ENOSPC;
	if (ret)
		racetrap_watch_disarm(w);
	return ret;
}

/*
 * An execute breakpoint at @ip in @task, for the triggers: it stops the
 * thread before the instruction there executes.  An exec takes it out at
 * once: the new image is not the tracer's.  *@switches gets the thread's
 * context switches so far, for racetrap_exec_bp_release() to charge the
 * ones made while it holds the breakpoint.
 */
struct perf_event *racetrap_exec_bp(unsigned long ip,
				    perf_overflow_handler_t fn, void *ctx,
				    struct task_struct *task,
				    unsigned long *switches)
{
	struct perf_event_attr attr;

	*switches = racetrap_task_switches(task);
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
 * Unregister an execute breakpoint of racetrap_exec_bp()'s, whose thread
 * had made @switches context switches when it was armed (as that call
 * recorded them); each one since is charged to the budget.  Read before
 * unregistering: the event holds its thread (hw.target) until then.
 * Task context.
 */
void racetrap_exec_bp_release(struct racetrap_tracer *t, struct perf_event *bp,
			      unsigned long switches)
{
	if (bp->hw.target)
		racetrap_budget_charge_switches(t, bp->hw.target, switches);
	unregister_hw_breakpoint(bp);
}

/*
 * After this no racetrap_watch_hit() runs for @w: disabling a CPU's breakpoint
 * is a call on that CPU, which waits for a #DB handler running there
 * (interrupts are off in it).
 */
void racetrap_watch_disarm(struct racetrap_watch *w)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_cpu(cpu, w->cpus)
		if (w->set->bps[cpu])
			perf_event_disable(w->set->bps[cpu]);
	cpus_read_unlock();
	racetrap_watch_pool_release(w->set);
	w->set = NULL;
	free_cpumask_var(w->cpus);
	w->nr = 0;
}
