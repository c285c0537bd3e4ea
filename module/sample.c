// SPDX-License-Identifier: GPL-2.0
/*
 * The sample, DataCollider-style, always in the sampled thread's own task
 * context (a task_work on its way back to user mode): compute the address,
 * arm watchpoints in every other thread, read the value, hold the thread
 * for the window, read again, disarm, report.  A clock sample is taken
 * before its access executes, a site sample just after it (site_step.c):
 * either way both accesses are in the window.
 */
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "budget.h"
#include "sample.h"
#include "stack.h"
#include "trace.h"
#include "tracer.h"
#include "value.h"
#include "watch.h"

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

/* Is @addr in the mapping holding this thread's stack pointer? */
static bool in_sp_mapping(unsigned long sp, unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool ret = false;

	if (!mm)
		return true;
	mmap_read_lock(mm);
	vma = find_vma(mm, sp);
	if (vma && vma->vm_start <= sp)
		ret = addr >= vma->vm_start && addr < vma->vm_end;
	mmap_read_unlock(mm);
	return ret;
}

/*
 * The stack bounds userspace named (two u64 at stack_reg + stack_off: a Go
 * goroutine's g), when they can be read from plain memory and hold @regs'
 * RSP, which proves the register is what userspace says it is.  Returns
 * the register's value, 0 when there are no such bounds.
 */
static unsigned long stack_bounds(struct racetrap_tracer *t,
				  const struct pt_regs *regs, u64 bounds[2])
{
	u8 r = READ_ONCE(t->cfg.stack_reg);
	unsigned long base;

	if (r == RACETRAP_REG_NONE)
		return 0;
	base = reg(regs, r);
	if (racetrap_copy_plain(bounds, base + READ_ONCE(t->cfg.stack_off),
				2 * sizeof(u64), true) != 2 * sizeof(u64) ||
	    bounds[0] > regs->sp || regs->sp >= bounds[1])
		return 0;
	return base;
}

/*
 * Is @addr on the sampled thread's own stack?  Where userspace named the
 * stack bounds (a Go goroutine's stack is a span of the heap arena, so
 * the mapping around RSP also holds the heap the goroutines share), use
 * them once they prove sane; otherwise the whole mapping.
 */
static bool on_own_stack(struct racetrap_tracer *t,
			 const struct pt_regs *regs, unsigned long addr)
{
	u64 bounds[2];

	if (stack_bounds(t, regs, bounds))
		return addr >= bounds[0] && addr < bounds[1];
	return in_sp_mapping(regs->sp, addr);
}

/*
 * The context words (racetrap_config.ctx_off: for Go, the goroutine's id
 * and creation pc) of the thread whose registers are @regs, into @ctx.
 * Task context of any thread of the target.  Returns RACETRAP_SIDE_F_CTX
 * when they were read, else 0 with @ctx zeroed.
 */
static u32 read_ctx(struct racetrap_tracer *t, const struct pt_regs *regs,
		    u64 ctx[RACETRAP_MAX_CTX_WORDS])
{
	u32 i, nr = min_t(u32, READ_ONCE(t->cfg.nr_ctx),
			  RACETRAP_MAX_CTX_WORDS);
	unsigned long base;
	u64 bounds[2];

	memset(ctx, 0, RACETRAP_MAX_CTX_WORDS * sizeof(u64));
	if (!nr)
		return 0;
	base = stack_bounds(t, regs, bounds);
	if (!base)
		return 0;
	for (i = 0; i < nr; i++)
		if (racetrap_copy_plain(&ctx[i],
					base + READ_ONCE(t->cfg.ctx_off[i]),
					sizeof(u64), true) != sizeof(u64))
			goto fail;
	return RACETRAP_SIDE_F_CTX;
fail:
	memset(ctx, 0, RACETRAP_MAX_CTX_WORDS * sizeof(u64));
	return 0;
}

static struct racetrap_slot *claim_slot(struct racetrap_tracer *t)
{
	unsigned int max = READ_ONCE(t->cfg.max_watchpoints), i;

	for (i = 0; i < max && i < RACETRAP_MAX_WATCHPOINTS; i++)
		if (!test_and_set_bit(i, &t->slot_busy))
			return &t->slots[i];
	return NULL;
}

static void release_slot(struct racetrap_tracer *t, struct racetrap_slot *s)
{
	clear_bit(s - t->slots, &t->slot_busy);
}

/*
 * Hold current for the window.  Killable, and teardown wakes it through
 * slot->task, so neither SIGKILL nor detach waits for a window to end.
 */
static void stall(struct racetrap_tracer *t, struct racetrap_slot *slot,
		  u32 window_us)
{
	ktime_t expires = ktime_add_us(ktime_get(), window_us);
	u64 slack = (u64)window_us * NSEC_PER_USEC / 16;

	raw_spin_lock_irq(&slot->lock);
	slot->task = current;
	raw_spin_unlock_irq(&slot->lock);
	for (;;) {
		set_current_state(TASK_KILLABLE);
		/*
		 * The first trap is the finding: close the window then.
		 * Holding on would cost the sampled thread more stall and
		 * the other thread a #DB on every further access (a hot word
		 * trapped tens of thousands of times per window under TCG).
		 */
		if (READ_ONCE(t->stopping) || fatal_signal_pending(current) ||
		    atomic_read(&slot->nr_hits))
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

	for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++)
		racetrap_sample_wake(&t->slots[i]);
}

/*
 * Windows and uprobe single-steps.  A thread that hit a uprobe executes
 * a copy of the probed instruction in the XOL area with the trap flag
 * set.  If a watchpoint of ours fires in that step, hardware reports both
 * in one #DB, but QEMU's TCG delivers a second #DB inside the kernel's
 * #DB entry (a kernel WARNING).  So no thread steps while watched:
 *
 *  - A thread about to step (racetrap_sample_before_step(), from the
 *    uprobe handler) registers as a stepper and waits until no window is
 *    open; if an open window watches its operand, the conflict is
 *    recorded right there (from registers before the access; the ip
 *    reported is the one after it).
 *  - A sampler opening a window leaves unwatched every thread whose
 *    saved user ip is in the "[uprobes]" XOL mapping (stepping now), and
 *    every stepper whose saved ip is still the probed address within
 *    RACETRAP_PRESTEP_MAX_NS of leaving the handler (between handler and
 *    step).  A later tick on that address looks the same, so that second
 *    rule is short-lived; a stepper that waited re-registers when it
 *    leaves.
 *  - The uprobe core can take longer than that from the handler to the
 *    step, so the same wait runs once more on the thread's way back to
 *    user mode, with its saved ip in the XOL mapping (step_guard.c).
 *    Threads made steppers by racetrap_windows_unblock() below run no
 *    handler of ours and get no such check: a task_work queued on
 *    another thread holds the tracer until that thread next leaves the
 *    kernel, and one stopped by SIGSTOP would hold teardown as long.
 *    6.12's removal waits until they reach their step; on 6.1 their
 *    mark is their only cover.
 *
 * Both run under step_lock, so either the stepper sees the window or
 * the sampler sees the stepper.
 *
 * A thread that trapped on an int3 just as its probe is unregistered runs
 * no handler of ours, so it cannot register.  Removing probes that may
 * still be in the target's text therefore blocks new windows and waits
 * for open ones to close; when the removal has returned, no thread can
 * trap on those int3s any more, and every thread still on its way from
 * one to the step has its saved ip at the probed address (or one byte
 * past the int3).  racetrap_windows_unblock() makes those threads
 * steppers before it lets windows open again.  (6.12's removal even
 * waits for them to reach their step, where the XOL rule covers them.)
 * An earlier version blocked every window for RACETRAP_PRESTEP_MAX_NS
 * after each removal instead, and the freshly armed probes, which fire
 * within milliseconds in hot code, were refused in that blackout: most
 * site samples were lost.
 *
 * All of this exists for the emulator, not for hardware, and the wait in
 * the handler is one more sleep between an int3 and its step: it runs
 * only with the module parameter xol_guard, which the test rig sets.
 */
static bool xol_guard;
module_param(xol_guard, bool, 0444);
MODULE_PARM_DESC(xol_guard,
		 "No thread single-steps a uprobe while watched (for QEMU TCG's duplicate #DB; default off)");

bool racetrap_xol_guard_on(void)
{
	return xol_guard;
}

struct step_snapshot {
	struct racetrap_stepper s[RACETRAP_STEPPERS];
	u64 now;
	unsigned int unwatched;		/* live threads left unwatched */
};

/* Is @ip in the uprobes XOL area of current's mm? */
static bool in_xol_area(unsigned long ip)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	const char *name = NULL;

	mmap_read_lock(mm);
	vma = find_vma(mm, ip);
	if (vma && vma->vm_start <= ip && !vma->vm_file && vma->vm_ops &&
	    vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	mmap_read_unlock(mm);
	return name && !strcmp(name, "[uprobes]");
}

/*
 * The user IP of another thread, or 0 once it has exited.  A thread can
 * exit between being listed and being looked at, and its kernel stack
 * (where its user registers are saved) goes with it: task->stack is
 * cleared and the stack freed through RCU.  So read task->stack once
 * under rcu_read_lock(); task_pt_regs() would read it again.
 */
static unsigned long user_ip_of(struct task_struct *task)
{
	unsigned long ip = 0;
	void *stack;

	rcu_read_lock();
	stack = READ_ONCE(task->stack);
	if (stack)
		ip = ((struct pt_regs *)(stack + THREAD_SIZE -
					 TOP_OF_KERNEL_STACK_PADDING) - 1)->ip;
	rcu_read_unlock();
	return ip;
}

static bool still_stepping(struct task_struct *task, void *arg)
{
	if (!xol_guard)
		return false;
	struct step_snapshot *snap = arg;
	unsigned long ip = user_ip_of(task);
	unsigned int i;

	if (!ip)
		return true;	/* exited: nothing left to watch */
	if (in_xol_area(ip))
		goto unwatched;
	for (i = 0; i < RACETRAP_STEPPERS; i++) {
		const struct racetrap_stepper *st = &snap->s[i];

		/* ip + 1: trapped on the int3, not yet rewound. */
		if (st->task == task &&
		    (ip == st->vaddr || ip == st->vaddr + 1) &&
		    st->since + RACETRAP_PRESTEP_MAX_NS >= snap->now)
			goto unwatched;
	}
	return false;
unwatched:
	snap->unwatched++;
	return true;
}

/*
 * Publish (or close) the window; opening snapshots the steppers, and
 * fails (false) while windows are blocked.
 */
static bool window_set(struct racetrap_tracer *t, struct racetrap_slot *slot,
		       bool armed, unsigned long waddr, unsigned int wlen,
		       bool writes_only, struct step_snapshot *snap)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&t->step_lock, flags);
	if (armed && t->windows_blocked) {
		raw_spin_unlock_irqrestore(&t->step_lock, flags);
		return false;
	}
	slot->armed = armed;
	slot->waddr = waddr;
	slot->wlen = wlen;
	slot->writes_only = writes_only;
	if (!armed)
		slot->seq++;
	if (snap)
		memcpy(snap->s, t->steppers, sizeof(snap->s));
	raw_spin_unlock_irqrestore(&t->step_lock, flags);
	if (!armed)
		wake_up_all(&slot->closed_wq);
	return true;
}

/* Before removing uprobes: no window opens, and none is left open. */
void racetrap_windows_block(struct racetrap_tracer *t)
{
	unsigned int i;

	if (!xol_guard)
		return;
	raw_spin_lock_irq(&t->step_lock);
	t->windows_blocked = true;
	raw_spin_unlock_irq(&t->step_lock);
	for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++)
		wait_event(t->slots[i].closed_wq, !READ_ONCE(t->slots[i].armed));
}

/* Under step_lock. */
static void add_stepper(struct racetrap_tracer *t, struct task_struct *task,
			unsigned long vaddr, u64 now)
{
	struct racetrap_stepper *st = &t->steppers[0];
	unsigned int i;

	for (i = 0; i < RACETRAP_STEPPERS; i++) {
		if (t->steppers[i].task == task) {
			st = &t->steppers[i];
			break;
		}
		if (t->steppers[i].since < st->since)
			st = &t->steppers[i];
	}
	st->task = task;
	st->vaddr = vaddr;
	st->since = now;
}

/*
 * The probed address @task is on its way to step from, if its saved ip
 * says it trapped on one of the probes @was_probed names: one byte past
 * the int3 (before the uprobe core rewinds it), or the address itself.
 */
static unsigned long probed_ip(struct racetrap_tracer *t,
			       struct task_struct *task,
			       bool (*was_probed)(const struct racetrap_site_ref *,
						  void *),
			       void *arg)
{
	unsigned long ip = user_ip_of(task);
	struct racetrap_site_ref ref;

	if (!ip)
		return 0;
	if (racetrap_sites_find(t, ip - 1, &ref) && was_probed(&ref, arg))
		return ip - 1;
	if (racetrap_sites_find(t, ip, &ref) && was_probed(&ref, arg))
		return ip;
	return 0;
}

/*
 * After the removal returned: every thread caught between an int3 of the
 * removed probes (@was_probed) and its step becomes a stepper, then
 * windows may open again.  Both under step_lock, so no window opens in
 * between.
 */
void racetrap_windows_unblock(struct racetrap_tracer *t,
			      bool (*was_probed)(const struct racetrap_site_ref *,
						 void *),
			      void *arg)
{
	struct task_struct *task, *th;
	u64 now = ktime_get_ns();
	unsigned long vaddr;

	if (!xol_guard)
		return;
	raw_spin_lock_irq(&t->step_lock);
	rcu_read_lock();
	task = pid_task(t->tgid, PIDTYPE_TGID);
	if (task) {
		for_each_thread(task, th) {
			vaddr = probed_ip(t, th, was_probed, arg);
			if (vaddr)
				add_stepper(t, th, vaddr, now);
		}
	}
	rcu_read_unlock();
	t->windows_blocked = false;
	raw_spin_unlock_irq(&t->step_lock);
}

/*
 * Task context of current, in the uprobe handler, before the step.  Loops
 * until no window is open, so the stepper's mark is fresh when it leaves
 * and no watchpoint of ours can fire inside its step.  It waits for every
 * window, not only those watching its operand: an operand through FS or
 * GS has no address here, and an earlier version that waited only for
 * overlapping windows (and cut wide accesses to their first 8 bytes)
 * let such steps run watched.  The wait costs a probe hit at most one
 * window, and probes are one-shot.  Returns whether the guard is on.
 */
bool racetrap_sample_before_step(struct racetrap_tracer *t,
				 struct pt_regs *regs,
				 const struct racetrap_site *s)
{
	unsigned int i, size = s->size;
	u64 recorded[RACETRAP_MAX_WATCHPOINTS] = {};
	struct pt_regs after = *regs;
	unsigned long a;

	if (!xol_guard)
		return false;
	if (s->flags & (RACETRAP_SITE_F_SEG_FS | RACETRAP_SITE_F_SEG_GS))
		size = 0;
	a = racetrap_operand_addr(s, regs, regs->ip + s->len);
	after.ip = regs->ip + s->len;
	for (;;) {
		struct racetrap_slot *wait_for = NULL;
		u64 seq = 0;

		raw_spin_lock_irq(&t->step_lock);
		add_stepper(t, current, regs->ip, ktime_get_ns());
		for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++) {
			struct racetrap_slot *slot = &t->slots[i];

			if (!slot->armed)
				continue;
			if (!wait_for) {
				wait_for = slot;
				seq = slot->seq;
			}
			if (a >= slot->waddr + slot->wlen ||
			    slot->waddr >= a + size ||
			    (slot->writes_only &&
			     !(s->access & RACETRAP_ACCESS_WRITE)))
				continue;
			/* One record per window (seq + 1: never 0). */
			if (recorded[i] != slot->seq + 1) {
				racetrap_watch_record(slot, &after, true);
				recorded[i] = slot->seq + 1;
			}
		}
		raw_spin_unlock_irq(&t->step_lock);
		if (!wait_for)
			return true;
		if (wait_event_killable(wait_for->closed_wq,
					READ_ONCE(wait_for->seq) != seq))
			return true;
	}
}

struct window {
	const struct racetrap_site_ref *ref;
	const struct pt_regs *regs;
	u16 trigger;
	unsigned long addr, waddr;
	unsigned int wlen;
	u32 flags;			/* RACETRAP_REC_F_* */
	u64 before, after;
	u64 armed;			/* read once every thread was armed */
	bool armed_known;
	u64 window_ns;
};

static void fill_header(struct racetrap_tracer *t, const struct window *w,
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
	sd->flags |= read_ctx(t, w->regs, rec->sampled_ctx);
}

static void fill_trapped(struct racetrap_tracer *t, const struct racetrap_hit *h,
			 struct racetrap_side *sd)
{
	struct racetrap_site_ref ref;

	sd->tid = h->tid;
	sd->flags = RACETRAP_SIDE_F_AFTER;
	if (h->pending)
		sd->flags |= RACETRAP_SIDE_F_PENDING;
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

static void report(struct racetrap_tracer *t, struct racetrap_slot *slot,
		   const struct window *w)
{
	unsigned int nr = min_t(unsigned int, atomic_read(&slot->nr_hits),
				RACETRAP_MAX_HITS);
	struct racetrap_user_dump *sampled = NULL;
	struct racetrap_record *rec;
	unsigned int i;

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
	if (slot->dump_len) {
		sampled = racetrap_slot_dump(slot, RACETRAP_MAX_HITS);
		racetrap_user_dump(w->regs, sampled, slot->dump_len,
				   RACETRAP_DUMP_SAMPLED, true);
	}
	if (!nr) {
		fill_header(t, w, rec, RACETRAP_REC_VALUE_CHANGE);
		rec->value_before = w->armed;
		rec->flags &= ~RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN;
		racetrap_count(&t->stats, RACETRAP_STAT_VALUE_CHANGES);
		push_with_dumps(t, rec, sampled, NULL);
		kfree(rec);
		return;
	}
	fill_header(t, w, rec, RACETRAP_REC_HIT);
	rec->nr_hits = atomic_read(&slot->nr_hits);
	for (i = 0; i < nr; i++) {
		const struct racetrap_hit *h = &slot->hits[i];

		memset(&rec->trapped, 0, sizeof(rec->trapped));
		fill_trapped(t, h, &rec->trapped);
		rec->trapped.flags |= read_ctx(t, &h->regs, rec->trapped_ctx);
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
	kfree(rec);
}

/* Task context of the sampled thread; the caller holds racetrap_enter(). */
void racetrap_sample(struct racetrap_tracer *t, struct pt_regs *regs,
		     const struct racetrap_site_ref *ref, u16 trigger)
{
	const struct racetrap_site *s = &ref->site;
	struct step_snapshot snap;
	struct racetrap_watch watch;
	struct racetrap_slot *slot;
	unsigned int nr_watched;
	unsigned int pid_cursor;
	bool writes_only;
	struct window w = {
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
	slot->stack_depth = READ_ONCE(t->cfg.stack_depth);
	prepare_dumps(slot, READ_ONCE(t->cfg.stack_dump));

	t0 = ktime_get();
	/*
	 * Read the value before arming, not after: a write that traps
	 * between arming and a later read would already be in "before", and
	 * the report would call a trapped write "unchanged".
	 */
	if (!racetrap_value_read(w.waddr, w.wlen, &w.before))
		w.flags |= RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN;
	writes_only = s->access == RACETRAP_ACCESS_READ;
	if (!window_set(t, slot, true, w.waddr, w.wlen, writes_only, &snap)) {
		racetrap_count(&t->stats, RACETRAP_STAT_SKIP_BLOCKED);
		goto out;
	}
	snap.now = ktime_get_ns();
	snap.unwatched = 0;
	/*
	 * A thread created after the arming enumerated the threads is not
	 * watched: a change it makes is no evidence.  Any pid allocated in
	 * the target's namespace during the window counts (it may be one).
	 * Missed: a thread whose pid came just before this read but which
	 * joined the thread list after the enumeration, and a clone3() with
	 * set_tid, which leaves the cursor.
	 */
	pid_cursor = idr_get_cursor(&task_active_pid_ns(current)->idr);
	/* A sampled read conflicts only with writes; a write with both. */
	ret = racetrap_watch_arm(slot, w.waddr, w.wlen, writes_only,
				 still_stepping, &snap, &watch);
	if (ret) {
		window_set(t, slot, false, 0, 0, false, NULL);
		racetrap_count(&t->stats,
			       ret == -ESRCH ? RACETRAP_STAT_SKIP_ALONE :
			       ret == -ENOSPC ? RACETRAP_STAT_SKIP_NOSPC :
			       RACETRAP_STAT_SKIP_FAULT);
		goto out;
	}
	racetrap_count(&t->stats, RACETRAP_STAT_WATCHES);
	racetrap_count_add(&t->stats, RACETRAP_STAT_WATCHED_THREADS, watch.nr);
	racetrap_count_add(&t->stats, RACETRAP_STAT_THREADS_LEFT, watch.left);
	if (snap.unwatched || watch.left)
		w.flags |= RACETRAP_REC_F_UNWATCHED;
	w.armed_known = racetrap_value_read(w.waddr, w.wlen, &w.armed);
	trace_racetrap_watch(t->pid_nr, w.waddr, w.wlen, writes_only,
			     watch.nr);
	t1 = ktime_get();
	stall(t, slot, READ_ONCE(t->cfg.window_us));
	t2 = ktime_get();
	if (!racetrap_value_read(w.waddr, w.wlen, &w.after))
		w.flags |= RACETRAP_REC_F_VALUE_AFTER_UNKNOWN;
	if (idr_get_cursor(&task_active_pid_ns(current)->idr) != pid_cursor)
		w.flags |= RACETRAP_REC_F_UNWATCHED;
	/* Disarm, then close: a thread waiting in before_step steps unwatched. */
	nr_watched = watch.nr;	/* disarm zeroes it */
	racetrap_watch_disarm(&watch);
	window_set(t, slot, false, 0, 0, false, NULL);
	w.window_ns = ktime_to_ns(ktime_sub(t2, t1));
	racetrap_count_add(&t->stats, RACETRAP_STAT_STALL_NS, w.window_ns);
	racetrap_budget_charge_window(t, ktime_to_ns(ktime_sub(ktime_get(), t0)),
				      w.window_ns, nr_watched);
	report(t, slot, &w);
out:
	release_slot(t, slot);
}
