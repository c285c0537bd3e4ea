// SPDX-License-Identifier: GPL-2.0
/*
 * The sample, DataCollider-style, always in the sampled thread's own task
 * context (a task_work on its way back to user mode): compute the address,
 * read the value, arm watchpoints on every CPU the other threads may run
 * on, hold the thread for the window, read again, disarm, report.  Either trigger stops the
 * thread before its access executes, so the window's first read is the
 * value the access finds.  In a Go program the window may hold the
 * goroutine instead of the thread (yield.c).
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "budget.h"
#include "pairs.h"
#include "sample.h"
#include "stack.h"
#include "trace.h"
#include "tracer.h"
#include "value.h"
#include "watch.h"
#include "window.h"
#include "yield.h"

static const u8 reg_offset[__RACETRAP_REG_LAST] = {
	[RACETRAP_REG_RAX] = offsetof(struct pt_regs, ax),
	[RACETRAP_REG_RCX] = offsetof(struct pt_regs, cx),
	[RACETRAP_REG_RDX] = offsetof(struct pt_regs, dx),
	[RACETRAP_REG_RBX] = offsetof(struct pt_regs, bx),
	[RACETRAP_REG_RSP] = offsetof(struct pt_regs, sp),
	[RACETRAP_REG_RBP] = offsetof(struct pt_regs, bp),
	[RACETRAP_REG_RSI] = offsetof(struct pt_regs, si),
	[RACETRAP_REG_RDI] = offsetof(struct pt_regs, di),
	[RACETRAP_REG_R8] = offsetof(struct pt_regs, r8),
	[RACETRAP_REG_R9] = offsetof(struct pt_regs, r9),
	[RACETRAP_REG_R10] = offsetof(struct pt_regs, r10),
	[RACETRAP_REG_R11] = offsetof(struct pt_regs, r11),
	[RACETRAP_REG_R12] = offsetof(struct pt_regs, r12),
	[RACETRAP_REG_R13] = offsetof(struct pt_regs, r13),
	[RACETRAP_REG_R14] = offsetof(struct pt_regs, r14),
	[RACETRAP_REG_R15] = offsetof(struct pt_regs, r15),
};

static unsigned long reg(const struct pt_regs *regs, u8 r)
{
	return *(const unsigned long *)((const char *)regs + reg_offset[r]);
}

/* base + index * scale + disp, with RIP reading as @next_ip. */
unsigned long racetrap_operand_addr(const struct racetrap_site *s,
				    const struct pt_regs *regs,
				    unsigned long next_ip)
{
	unsigned long a = (long)s->disp;

	if (s->base == RACETRAP_REG_RIP)
		a += next_ip;
	else if (s->base != RACETRAP_REG_NONE)
		a += reg(regs, s->base);
	if (s->index != RACETRAP_REG_NONE)
		a += reg(regs, s->index) * s->scale;
	return a;
}

/*
 * Smallest aligned x86 watch length (1, 2, 4, 8) covering the first
 * min(size, 8) bytes at @addr; an access straddling an aligned 8-byte
 * word is watched on the word holding its first byte.
 */
static void watch_range(unsigned long addr, unsigned int size,
			unsigned long *waddr, unsigned int *wlen)
{
	unsigned int len;

	size = min(size, 8U);
	for (len = 1; len <= 8; len <<= 1) {
		unsigned long start = addr & ~(unsigned long)(len - 1);

		if (addr + size <= start + len) {
			*waddr = start;
			*wlen = len;
			return;
		}
	}
	*waddr = addr & ~7UL;
	*wlen = 8;
}

/*
 * Is @addr in the mapping holding this thread's stack pointer?  Under
 * racetrap_mm_read_lock().
 */
static bool in_sp_mapping(unsigned long sp, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(current->mm, sp);

	return vma && vma->vm_start <= sp && addr >= vma->vm_start &&
	       addr < vma->vm_end;
}

/*
 * The stack bounds userspace named (two u64 at stack_reg + stack_off: a Go
 * goroutine's g), when they can be read from plain memory and hold @regs'
 * RSP, which proves the register is what userspace says it is.  Returns
 * the register's value, 0 when there are no such bounds.  Under
 * racetrap_mm_read_lock(), which the caller holds for its other reads of
 * the same g as well: one lock, one view of the mappings.
 */
unsigned long racetrap_stack_bounds(struct racetrap_tracer *t,
				    const struct pt_regs *regs, u64 bounds[2])
{
	u8 r = READ_ONCE(t->cfg.stack_reg);
	unsigned long base;

	if (r == RACETRAP_REG_NONE)
		return 0;
	base = reg(regs, r);
	if (racetrap_copy_plain_locked(bounds,
				       base + READ_ONCE(t->cfg.stack_off),
				       2 * sizeof(u64)) != 2 * sizeof(u64) ||
	    bounds[0] > regs->sp || regs->sp >= bounds[1])
		return 0;
	return base;
}

/*
 * Is @addr on the sampled thread's own stack?  Where userspace named the
 * stack bounds (a Go goroutine's stack is a span of the heap arena, so
 * the mapping around RSP also holds the heap the goroutines share), use
 * them once they prove sane; otherwise the whole mapping.  A thread
 * without an mm has no user stack to speak of: say yes, skip it.
 */
static bool on_own_stack(struct racetrap_tracer *t,
			 const struct pt_regs *regs, unsigned long addr)
{
	u64 bounds[2];
	bool ret;

	if (!racetrap_mm_read_lock(true))
		return true;
	if (racetrap_stack_bounds(t, regs, bounds))
		ret = addr >= bounds[0] && addr < bounds[1];
	else
		ret = in_sp_mapping(regs->sp, addr);
	racetrap_mm_read_unlock();
	return ret;
}

/*
 * The context words (racetrap_config.ctx_off: for Go, the goroutine's id
 * and creation pc) of the thread whose registers are @regs, into @ctx,
 * with the stack bounds that prove the g, all under one mmap_lock.
 * Current is a thread of the target: in task context with @may_sleep, or
 * in its #DB without, where the lock is only tried.  Returns
 * RACETRAP_SIDE_F_CTX when they were read, else 0 with @ctx zeroed.
 */
u32 racetrap_read_ctx(struct racetrap_tracer *t, const struct pt_regs *regs,
		      u64 ctx[RACETRAP_MAX_CTX_WORDS], bool may_sleep)
{
	u32 i, nr = min_t(u32, READ_ONCE(t->cfg.nr_ctx),
			  RACETRAP_MAX_CTX_WORDS);
	unsigned long base;
	u64 bounds[2];

	memset(ctx, 0, RACETRAP_MAX_CTX_WORDS * sizeof(u64));
	if (!nr || !racetrap_mm_read_lock(may_sleep))
		return 0;
	base = racetrap_stack_bounds(t, regs, bounds);
	for (i = 0; base && i < nr; i++)
		if (racetrap_copy_plain_locked(&ctx[i],
					       base + READ_ONCE(t->cfg.ctx_off[i]),
					       sizeof(u64)) != sizeof(u64))
			break;
	racetrap_mm_read_unlock();
	if (base && i == nr)
		return RACETRAP_SIDE_F_CTX;
	memset(ctx, 0, RACETRAP_MAX_CTX_WORDS * sizeof(u64));
	return 0;
}

static struct racetrap_slot *claim_slot(struct racetrap_tracer *t)
{
	unsigned int max = min_t(unsigned int, READ_ONCE(t->cfg.max_watchpoints),
				 RACETRAP_MAX_WATCHPOINTS);
	unsigned int i = racetrap_claim_bit(&t->slot_busy, max);

	return i < max ? &t->slots[i] : NULL;
}

void racetrap_slot_release(struct racetrap_tracer *t, struct racetrap_slot *s)
{
	racetrap_release_bit(&t->slot_busy, s - t->slots);
}

/*
 * Hold current for the window.  Killable, and teardown wakes it through
 * slot->task, so neither SIGKILL nor detach waits for a window to end.
 */
void racetrap_sample_stall(struct racetrap_tracer *t,
			   struct racetrap_slot *slot, u32 window_us)
{
	ktime_t expires = ktime_add_us(ktime_get(), window_us);
	u64 slack = (u64)window_us * NSEC_PER_USEC / 16;

	raw_spin_lock_irq(&slot->lock);
	slot->task = current;
	raw_spin_unlock_irq(&slot->lock);
	for (;;) {
		set_current_state(TASK_KILLABLE);
		/*
		 * The first trap of a pair not seen yet is the finding:
		 * close the window then (watch.c).  Holding on would cost the
		 * sampled thread more stall and the other thread a #DB on
		 * every further access (a hot word trapped tens of thousands
		 * of times per window under TCG).
		 */
		if (READ_ONCE(t->stopping) || fatal_signal_pending(current) ||
		    READ_ONCE(slot->closing))
			break;
		if (!schedule_hrtimeout_range(&expires, slack,
					      HRTIMER_MODE_ABS))
			break;
	}
	__set_current_state(TASK_RUNNING);
	raw_spin_lock_irq(&slot->lock);
	slot->task = NULL;
	raw_spin_unlock_irq(&slot->lock);
}

/* Wake the thread stalled in @slot's window, if any.  Any context. */
void racetrap_sample_wake(struct racetrap_slot *slot)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&slot->lock, flags);
	if (slot->task)
		wake_up_process(slot->task);
	raw_spin_unlock_irqrestore(&slot->lock, flags);
}

void racetrap_sample_wake_all(struct racetrap_tracer *t)
{
	unsigned int i;

	for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++) {
		racetrap_sample_wake(&t->slots[i]);
		racetrap_yield_kick(&t->slots[i]);
	}
}

void racetrap_fill_header(struct racetrap_tracer *t,
			  const struct racetrap_window *w,
			  struct racetrap_record *rec, u16 type)
{
	const struct racetrap_site *s = &w->ref->site;
	struct racetrap_side *sd = &rec->sampled;

	rec->size = sizeof(*rec);
	rec->version = RACETRAP_ABI_VERSION;
	rec->type = type;
	rec->pid = t->pid_nr;
	rec->trigger = w->trigger;
	rec->timestamp_ns = ktime_get_ns();
	rec->watch_addr = w->waddr;
	rec->watch_len = w->wlen;
	rec->site_table = w->ref->table_id;
	rec->flags = w->flags;
	rec->site_offset = s->offset;
	rec->value_before = w->before;
	rec->value_after = w->after;
	rec->window_ns = w->window_ns;

	sd->tid = __task_pid_nr_ns(current, PIDTYPE_PID, t->pid_ns);
	sd->flags = RACETRAP_SIDE_F_KNOWN;
	if (s->flags & RACETRAP_SITE_F_LOCKED)
		sd->flags |= RACETRAP_SIDE_F_LOCKED;
	sd->ip = w->regs->ip;
	sd->addr = w->addr;
	sd->size = s->size;
	sd->access = s->access;
	sd->nr_frames = racetrap_user_stack(w->regs, sd->stack,
					    READ_ONCE(t->cfg.stack_depth));
	sd->flags |= racetrap_read_ctx(t, w->regs, rec->sampled_ctx, true);
}

static void fill_trapped(struct racetrap_tracer *t, const struct racetrap_hit *h,
			 struct racetrap_side *sd)
{
	struct racetrap_site_ref ref;

	sd->tid = h->tid;
	sd->flags = RACETRAP_SIDE_F_AFTER;
	sd->ip = h->regs.ip;
	sd->nr_frames = h->nr_frames;
	memcpy(sd->stack, h->stack, h->nr_frames * sizeof(h->stack[0]));
	if (!racetrap_sites_find_ending(t, h->regs.ip, &ref))
		return;
	sd->flags |= RACETRAP_SIDE_F_KNOWN;
	if (ref.site.flags & RACETRAP_SITE_F_LOCKED)
		sd->flags |= RACETRAP_SIDE_F_LOCKED;
	sd->addr = racetrap_operand_addr(&ref.site, &h->regs, h->regs.ip);
	sd->size = ref.site.size;
	sd->access = ref.site.access;
}

/*
 * Size the slot's dump buffer for this window's stack_dump: task context,
 * before arming, so the #DB side finds it in place.  Without memory the
 * window simply goes without dumps.
 */
static void prepare_dumps(struct racetrap_slot *slot, u32 len)
{
	slot->dump_len = 0;
	if (!len)
		return;
	if (slot->dumps_cap != len) {
		kvfree(slot->dumps);
		slot->dumps_cap = 0;
		slot->dumps = kvmalloc(array_size(RACETRAP_MAX_HITS + 1,
						  sizeof(struct racetrap_user_dump) + len),
				       GFP_KERNEL);
		if (!slot->dumps)
			return;
		slot->dumps_cap = len;
	}
	slot->dump_len = len;
}

/*
 * Queue @rec with the dumps @a and @b (either NULL) after it.  Without
 * memory for them the record goes without.
 */
static void push_with_dumps(struct racetrap_tracer *t,
			    struct racetrap_record *rec,
			    const struct racetrap_user_dump *a,
			    const struct racetrap_user_dump *b)
{
	u32 la = a ? a->size : 0, lb = b ? b->size : 0;
	void *tail = NULL;

	rec->size = sizeof(*rec);
	rec->flags &= ~RACETRAP_REC_F_DUMP;
	if (la + lb)
		tail = kmalloc(la + lb, GFP_KERNEL);
	if (tail) {
		if (la)
			memcpy(tail, a, la);
		if (lb)
			memcpy(tail + la, b, lb);
		rec->size += la + lb;
		rec->flags |= RACETRAP_REC_F_DUMP;
	}
	racetrap_ring_push(&t->ring, rec, tail);
}

/*
 * Queue a HIT record per trap of @slot's window, on @rec with its header
 * and sampled side filled in; @sampled is that side's dump or NULL.
 * Task context of a thread of the target, or of a worker that borrowed
 * its mm.
 */
void racetrap_report_hits(struct racetrap_tracer *t,
			  struct racetrap_slot *slot,
			  struct racetrap_record *rec,
			  const struct racetrap_user_dump *sampled)
{
	unsigned int nr = min_t(unsigned int, atomic_read(&slot->nr_hits),
				RACETRAP_MAX_HITS);
	unsigned int i;

	rec->type = RACETRAP_REC_HIT;
	rec->nr_hits = atomic_read(&slot->nr_hits);
	for (i = 0; i < nr; i++) {
		const struct racetrap_hit *h = &slot->hits[i];

		memset(&rec->trapped, 0, sizeof(rec->trapped));
		fill_trapped(t, h, &rec->trapped);
		rec->trapped.flags |= h->ctx_flags;
		memcpy(rec->trapped_ctx, h->ctx, sizeof(h->ctx));
		racetrap_pairs_add(&t->seen_pairs, slot->sampled_ip, h->regs.ip);
		if ((rec->sampled.flags & RACETRAP_SIDE_F_LOCKED) &&
		    (rec->trapped.flags & RACETRAP_SIDE_F_LOCKED)) {
			racetrap_count(&t->stats, RACETRAP_STAT_HITS_ATOMIC);
			continue;
		}
		racetrap_count(&t->stats, RACETRAP_STAT_HITS);
		rec->timestamp_ns = h->ts;
		trace_racetrap_hit(rec);
		push_with_dumps(t, rec, sampled,
				slot->dump_len && h->dump_size ?
				racetrap_slot_dump(slot, i) : NULL);
	}
}

/* The sampled side's dump, taken while its stack is as it was. */
struct racetrap_user_dump *racetrap_dump_sampled(struct racetrap_slot *slot,
						 const struct pt_regs *regs)
{
	struct racetrap_user_dump *d;

	if (!slot->dump_len)
		return NULL;
	d = racetrap_slot_dump(slot, RACETRAP_MAX_HITS);
	racetrap_user_dump(regs, d, slot->dump_len, RACETRAP_DUMP_SAMPLED,
			   true);
	return d;
}

static void report(struct racetrap_tracer *t, struct racetrap_slot *slot,
		   const struct racetrap_window *w)
{
	unsigned int nr = atomic_read(&slot->nr_hits);
	struct racetrap_user_dump *sampled;
	struct racetrap_record *rec;

	/*
	 * Nothing trapped: only a change while every thread was watched is
	 * a finding.  Between the first read and the end of arming, a
	 * write from a thread not armed yet changes the value untrapped.
	 */
	if (!nr && (!w->armed_known ||
		    (w->flags & RACETRAP_REC_F_VALUE_AFTER_UNKNOWN) ||
		    w->armed == w->after))
		return;
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec) {
		racetrap_count(&t->stats, RACETRAP_STAT_DROPS);
		return;
	}
	/* The sampled thread is still held: its stack is as it was. */
	sampled = racetrap_dump_sampled(slot, w->regs);
	if (!nr) {
		racetrap_fill_header(t, w, rec, RACETRAP_REC_VALUE_CHANGE);
		rec->value_before = w->armed;
		rec->flags &= ~RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN;
		racetrap_count(&t->stats, RACETRAP_STAT_VALUE_CHANGES);
		push_with_dumps(t, rec, sampled, NULL);
		kfree(rec);
		return;
	}
	racetrap_fill_header(t, w, rec, RACETRAP_REC_HIT);
	racetrap_report_hits(t, slot, rec, sampled);
	kfree(rec);
}

/*
 * A trigger's sample of the site at @ip, in current's task_work on its
 * way back to user mode: unless a signal frame was set up since (its ip
 * is no longer @ip), current is exiting or runs another mm, or the tracer
 * is stopping.  The caller holds racetrap_enter().
 */
void racetrap_sample_at(struct racetrap_tracer *t, unsigned long ip,
			const struct racetrap_site_ref *ref, u16 trigger)
{
	struct pt_regs *regs = task_pt_regs(current);

	if (!(current->flags & PF_EXITING) && regs->ip == ip &&
	    current->mm == t->mm && !READ_ONCE(t->stopping))
		racetrap_sample(t, regs, ref, trigger);
}

/* Task context of the sampled thread; the caller holds racetrap_enter(). */
void racetrap_sample(struct racetrap_tracer *t, struct pt_regs *regs,
		     const struct racetrap_site_ref *ref, u16 trigger)
{
	const struct racetrap_site *s = &ref->site;
	struct racetrap_watch local, *watch = &local;
	struct racetrap_slot *slot;
	unsigned long g;
	struct racetrap_window w = {
		.ref = ref, .regs = regs, .trigger = trigger,
	};
	ktime_t t0, t1, t2;
	int ret;

	racetrap_count(&t->stats, trigger == RACETRAP_REC_TRIGGER_SITE ?
		       RACETRAP_STAT_SAMPLES_SITE : RACETRAP_STAT_SAMPLES_CLOCK);
	if (s->flags & (RACETRAP_SITE_F_SEG_FS | RACETRAP_SITE_F_SEG_GS)) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_TLS);
		return;
	}
	w.addr = racetrap_operand_addr(s, regs, regs->ip + s->len);
	trace_racetrap_sample(t->pid_nr,
			      __task_pid_nr_ns(current, PIDTYPE_PID, t->pid_ns),
			      regs->ip, w.addr, trigger);
	if (w.addr < PAGE_SIZE || w.addr > TASK_SIZE_MAX - 8) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_FAULT);
		return;
	}
	if (on_own_stack(t, regs, w.addr)) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_STACK);
		return;
	}
	if (!racetrap_budget_allow(t))
		return;
	slot = claim_slot(t);
	if (!slot) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_BUSY);
		return;
	}
	watch_range(w.addr, s->size, &w.waddr, &w.wlen);
	atomic_set(&slot->nr_hits, 0);
	slot->closing = false;
	slot->sampled_ip = regs->ip;
	slot->stack_depth = READ_ONCE(t->cfg.stack_depth);
	prepare_dumps(slot, READ_ONCE(t->cfg.stack_dump));
	/* A goroutine window watches its own thread too. */
	g = racetrap_yield_g(t, slot, regs, s->flags);
	if (g)
		watch = &slot->ywatch;
	/* Set before arming: the #DB side tells the goroutine's traps by it. */
	WRITE_ONCE(slot->held_g, g);

	t0 = ktime_get();
	/*
	 * Read the value before arming, not after: a write that traps
	 * between arming and a later read would already be in "before", and
	 * the report would call a trapped write "unchanged".
	 */
	if (!racetrap_value_read(w.waddr, w.wlen, &w.before))
		w.flags |= RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN;
	/*
	 * Every window watches reads too: a goroutine window on a read ends
	 * at its goroutine's own read, when Go resumes it; other reads the
	 * #DB side sorts out (watch.c).
	 */
	slot->sampled_read = s->access == RACETRAP_ACCESS_READ;
	if (g)
		racetrap_yield_opening(slot);
	ret = racetrap_watch_arm(slot, w.waddr, w.wlen, g != 0, watch);
	if (ret) {
		racetrap_count(&t->stats,
			       ret == -ESRCH ? RACETRAP_STAT_SKIP_ALONE :
			       ret == -ENOSPC ? RACETRAP_STAT_SKIP_NOSPC :
			       ret == -EBUSY ? RACETRAP_STAT_SKIP_BUSY :
			       RACETRAP_STAT_SKIP_FAULT);
		goto out;
	}
	racetrap_count(&t->stats, RACETRAP_STAT_WATCHES);
	racetrap_count_add(&t->stats, RACETRAP_STAT_WATCHED_CPUS, watch->nr);
	racetrap_count_add(&t->stats, RACETRAP_STAT_CPUS_LEFT, watch->left);
	w.flags |= RACETRAP_REC_F_READS_WATCHED;
	if (watch->left)
		w.flags |= RACETRAP_REC_F_UNWATCHED;
	w.armed_known = racetrap_value_read(w.waddr, w.wlen, &w.armed);
	trace_racetrap_watch(t->pid_nr, w.waddr, w.wlen, watch->nr);
	if (g) {
		/*
		 * On a CPU left unwatched the goroutine could resume and
		 * hide its own access: no sample then.
		 */
		if (!watch->left && racetrap_yield_open(t, slot, &w, g, t0))
			return;
		racetrap_watch_disarm(watch);
		goto out;
	}
	t1 = ktime_get();
	racetrap_sample_stall(t, slot, READ_ONCE(t->cfg.window_us));
	t2 = ktime_get();
	if (!racetrap_value_read(w.waddr, w.wlen, &w.after))
		w.flags |= RACETRAP_REC_F_VALUE_AFTER_UNKNOWN;
	racetrap_watch_disarm(watch);
	w.window_ns = ktime_to_ns(ktime_sub(t2, t1));
	racetrap_count_add(&t->stats, RACETRAP_STAT_STALL_NS, w.window_ns);
	racetrap_budget_charge_window(t, ktime_to_ns(ktime_sub(ktime_get(), t0)),
				      w.window_ns, watch->others);
	report(t, slot, &w);
out:
	if (g)
		racetrap_yield_abandon(slot);
	WRITE_ONCE(slot->held_g, 0);
	racetrap_slot_release(t, slot);
}
