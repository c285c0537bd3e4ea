// SPDX-License-Identifier: GPL-2.0
/*
 * Site sampling, DataCollider's way: execute breakpoints on sites drawn
 * uniformly, two per thread (per_thread()) in up to site_probes threads
 * (threads.c picks which, running ones first).  Two of every four draws
 * are among the sites seen to run, one among the sites of the functions
 * seen to run (sites.c: live), the fourth among all, which is how a
 * function the clock never ticks in becomes live.  A tick every
 * min(site_rotate_ms, 100) ms checks that the target still runs the image
 * it was attached to, and every site_rotate_ms redraws the set.
 *
 * A breakpoint stops its thread before the site executes.  The #DB
 * handler only queues a task_work; on the thread's way back to user mode
 * it takes the breakpoint out, samples, and arms the thread's next site
 * in its own debug register.  A thread's clock tick draws afresh, the
 * same way, those of its breakpoints that have not fired in REFRESH_NS.
 * Nothing is written to the target's text and nothing is single-stepped,
 * so nothing of racetrap runs between a trap and a step: the sample runs
 * with the thread's ip on the site, in its own code, before the return
 * path's rseq fix-up.
 *
 * While the overhead budget is spent (the tick asks budget.c) nothing is
 * armed: a breakpoint would only trap for a sample that must be refused.
 */
#include <linux/hw_breakpoint.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/perf_event.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/workqueue.h>
#include "budget.h"
#include "pace.h"
#include "sample.h"
#include "threads.h"
#include "tracer.h"
#include "watch.h"
#include "watch_pool.h"
#include "trigger_clock.h"
#include "trigger_site.h"

#define TICK_MAX_MS	100
#define RAN_SHARE	2	/* of every 4 draws, among the sites that ran */
#define LIVE_SHARE	1	/* ... among the live sites */
#define PER_THREAD_MAX	2	/* site breakpoints a thread holds */
#define BIRTH_SPARE	16	/* threads a set has room for beyond its own */
#define HANDOFF_MAX	16	/* threads a site is handed on to, unfired */
#define REFRESH_NS	(20 * NSEC_PER_MSEC)	/* unfired: drawn afresh */

/*
 * A breakpoint's life; ARMED is contended (its hit vs. the rotation).  The
 * breakpoint itself (@bp) is taken out by whoever takes it from @bp first
 * (take_bp()): the hit's task_work or the rotation.  A hit is never let
 * through unsampled while its breakpoint stays registered: where an
 * emulator ignores the resume flag (RF), that would trap again and again.
 */
enum {
	BP_IDLE,	/* nothing armed */
	BP_ARMED,	/* set before registering: a hit may come at once */
	BP_HIT,		/* it fired: its task_work samples */
	BP_DEAD,	/* it fired in a dying thread: the rotation takes it */
	BP_DONE,	/* taken out */
};

struct site_bp {
	struct callback_head cb;
	struct racetrap_site_set *set;
	struct perf_event *bp;
	struct task_struct *task;	/* @bp's thread, held; under site_lock */
	struct racetrap_site_ref ref;
	unsigned long ip;
	u32 idx;			/* the site's index in its table */
	u32 handoffs;			/* threads it was handed on to */
	u64 armed_at;			/* ktime_get_ns() */
	unsigned long switches;		/* @task's context switches at arming */
	bool rearm_wanted;		/* DONE only as the lock was taken */
	atomic_t state;
};

/*
 * One rotation's breakpoints: the threads it found, and BIRTH_SPARE
 * threads more for those born before the next one (racetrap_site_birth()).
 * The tracer holds a reference while the set is current, and so does each
 * hit's task_work: a thread can keep its task_work queued past the
 * rotation that retires the set.
 */
struct racetrap_site_set {
	refcount_t users;
	struct racetrap_tracer *tracer;
	bool retired;			/* under tracer->site_lock */
	unsigned int cap;
	struct site_bp bps[];
};

static void put_set(struct racetrap_site_set *set)
{
	unsigned int i;

	if (!refcount_dec_and_test(&set->users))
		return;
	for (i = 0; i < set->cap; i++)
		if (set->bps[i].task)
			put_task_struct(set->bps[i].task);
	kvfree(set);
}

/* A site drawn uniformly over all tables. */
static bool draw_any(struct racetrap_tracer *t, struct racetrap_site_ref *ref,
		     u32 *idx)
{
	struct racetrap_table *tb;
	bool found = false;
	u64 total = 0;
	u32 r;

	rcu_read_lock();
	list_for_each_entry_rcu(tb, &t->tables, node)
		total += tb->nr_sites;
	if (total) {
		r = get_random_u32_below(total);
		list_for_each_entry_rcu(tb, &t->tables, node) {
			if (r < tb->nr_sites) {
				ref->site = tb->sites[r];
				ref->table_id = tb->id;
				*idx = r;
				found = true;
				break;
			}
			r -= tb->nr_sites;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * Draw a site for @sb, mapped now and not at @avoid (the site just
 * sampled there).  Each thread draws on its own, so two threads may get
 * the same site: a breakpoint fires only in its own thread, and a site
 * kept from all threads but one would be missed wherever that one does
 * not run it.  RAN_SHARE of every 4 draws are among the sites seen to
 * run, LIVE_SHARE among the live ones (sites.c), the rest among all;
 * a draw that finds its list empty goes on to the next.  When every
 * site drawn from a list was retired, the list has been gone through,
 * and all of it gets its chance again, once per call.
 */
static bool draw_pool(struct racetrap_tracer *t, struct site_bp *sb,
		      enum racetrap_site_pool pool, bool *forgiven)
{
	bool retired;

	if (racetrap_sites_draw(t, pool, &sb->ref, &sb->idx, &retired))
		return true;
	if (!retired || *forgiven)
		return false;
	*forgiven = true;
	return racetrap_sites_forgive(t, pool) &&
	       racetrap_sites_draw(t, pool, &sb->ref, &sb->idx, &retired);
}

static bool draw(struct racetrap_tracer *t, struct site_bp *sb,
		 unsigned long avoid)
{
	bool forgiven = false;
	unsigned int tries;

	sb->handoffs = 0;
	for (tries = 0; tries < 8; tries++) {
		u32 r = get_random_u32_below(4);
		bool found = false;

		if (r < RAN_SHARE)
			found = draw_pool(t, sb, RACETRAP_POOL_RAN, &forgiven);
		if (!found && r < RAN_SHARE + LIVE_SHARE)
			found = draw_pool(t, sb, RACETRAP_POOL_LIVE,
					  &forgiven);
		if (!found && !draw_any(t, &sb->ref, &sb->idx))
			return false;
		if (racetrap_sites_vaddr(t, &sb->ref, &sb->ip) &&
		    sb->ip != avoid)
			return true;
	}
	return false;
}

static void site_sample_fn(struct callback_head *cb);

/* Unregister @sb's breakpoint unless already taken; true if this took it. */
static bool take_bp(struct site_bp *sb)
{
	struct perf_event *bp = xchg(&sb->bp, NULL);

	if (!bp)
		return false;
	/* After this no site_hit() runs for it. */
	racetrap_exec_bp_release(sb->set->tracer, bp, sb->switches);
	return true;
}

/* #DB context: the thread is about to execute the site. */
static void site_hit(struct perf_event *bp, struct perf_sample_data *data,
		     struct pt_regs *regs)
{
	struct site_bp *sb = bp->overflow_handler_context;
	struct racetrap_site_set *set = sb->set;
	struct racetrap_tracer *t = set->tracer;

	if (!user_mode(regs) || regs->ip != sb->ip ||
	    atomic_cmpxchg(&sb->state, BP_ARMED, BP_HIT) != BP_ARMED)
		return;
	racetrap_budget_charge_bound(t, RACETRAP_COST_DB_ENTRY_NS);
	if (!racetrap_enter(t))
		goto dead;
	/* Not the last: the rotation's own is held while @bp is registered. */
	refcount_inc(&set->users);
	init_task_work(&sb->cb, site_sample_fn);
	if (!task_work_add(current, &sb->cb, TWA_RESUME))
		return;
	refcount_dec(&set->users);
	racetrap_leave(t);
dead:
	atomic_set(&sb->state, BP_DEAD);
}

/*
 * Register @sb's breakpoint, drawn already, in @task.  Under site_lock: a
 * hit's task_work that finds no @sb->bp yet waits for the lock, after
 * which it is stored.
 */
static int arm(struct racetrap_tracer *t, struct site_bp *sb,
	       struct task_struct *task)
{
	struct perf_event *bp;

	lockdep_assert_held(&t->site_lock);
	/*
	 * A thread that exec'ed runs an image that is none of the tracer's
	 * (setuid, maybe): the tick ends the attachment, and meanwhile no
	 * breakpoint goes there.  An exec after this test takes out what is
	 * armed (remove_on_exec).
	 */
	if (READ_ONCE(task->mm) != t->mm)
		return -ESRCH;
	if (sb->task != task) {
		if (sb->task)
			put_task_struct(sb->task);
		sb->task = get_task_struct(task);
	}
	WRITE_ONCE(sb->bp, NULL);
	sb->rearm_wanted = false;
	atomic_set(&sb->state, BP_ARMED);
	bp = racetrap_exec_bp(sb->ip, site_hit, sb, task, &sb->switches);
	if (IS_ERR(bp)) {
		/* Nothing registered, nothing hit. */
		atomic_set(&sb->state, BP_IDLE);
		racetrap_count(&t->stats, RACETRAP_STAT_PROBE_ERRORS);
		return PTR_ERR(bp);
	}
	sb->armed_at = ktime_get_ns();
	/* Pairs with site_sample_fn()'s acquire: a stored @bp is whole. */
	smp_store_release(&sb->bp, bp);
	racetrap_count(&t->stats, RACETRAP_STAT_PROBES_ARMED);
	return 0;
}

/*
 * May current, a thread of the target, arm a site breakpoint in itself
 * now?  Not while the tracer stops, the budget is spent or the site
 * trigger is off, nor in a dying thread or one that exec'ed.
 */
static bool may_arm_self(struct racetrap_tracer *t)
{
	return !READ_ONCE(t->stopping) && !READ_ONCE(t->throttled) &&
	       (READ_ONCE(t->cfg.triggers) & RACETRAP_TRIGGER_SITE) &&
	       !(current->flags & PF_EXITING) && current->mm == t->mm;
}

/*
 * After a sample: arm this thread's next site in the breakpoint's place,
 * unless the set was retired or the budget is spent (then the next
 * rotation covers this thread).  Not waiting for the lock, held by the
 * rotation or by another thread arming its own: the thread's next clock
 * tick re-arms the slot (racetrap_site_refresh()).
 */
static void rearm(struct site_bp *sb)
{
	struct racetrap_site_set *set = sb->set;
	struct racetrap_tracer *t = set->tracer;
	unsigned long last = sb->ip;
	bool armed = false;
	u64 t0;

	if (!mutex_trylock(&t->site_lock)) {
		sb->rearm_wanted = true;
		goto out;
	}
	t0 = ktime_get_ns();
	if (!set->retired && may_arm_self(t) && draw(t, sb, last))
		armed = !arm(t, sb, current);
	mutex_unlock(&t->site_lock);
	racetrap_budget_charge(t, ktime_get_ns() - t0);
out:
	/* Release: a newborn reusing the slot sees the sample done with it. */
	if (!armed)
		atomic_set_release(&sb->state, BP_DONE);
}

/*
 * A clock tick's task_work in a thread of the target: draw afresh, in the
 * thread's own debug registers, those of its site breakpoints that have
 * not fired in REFRESH_NS.  A breakpoint on a site its thread does not
 * run would otherwise wait for the next rotation (site_rotate_ms), and
 * most draws are such sites: so site samples come with the thread's CPU
 * time, as clock samples do, at the price of a breakpoint registered in
 * the thread itself (no cross-CPU call), charged.  The site is not
 * retired (sites.c): 20 ms in one thread is not the rotation's verdict.
 * A slot whose sample's re-arm found the lock taken is re-armed too:
 * with the clock's pace ticks take the lock every millisecond or two, and
 * a thread would lose its breakpoints one by one until the next rotation
 * (on a slow host, with a long site_rotate_ms, all of them).  Skipped
 * while another holds the lock.
 */
void racetrap_site_refresh(struct racetrap_tracer *t)
{
	struct racetrap_site_set *set;
	u64 t0 = ktime_get_ns();
	unsigned int i, n = 0;

	if (!may_arm_self(t) || !mutex_trylock(&t->site_lock))
		return;
	set = t->site_set;
	for (i = 0; set && i < set->cap; i++) {
		struct site_bp *sb = &set->bps[i];
		unsigned long last = sb->ip;
		int state;

		if (sb->task != current)
			continue;
		/* Pairs with rearm()'s release: a done sample is done. */
		state = atomic_read_acquire(&sb->state);
		if (state == BP_ARMED) {
			/* Armed after t0 was read, it is no older. */
			if (sb->armed_at + REFRESH_NS > t0 ||
			    atomic_cmpxchg(&sb->state, BP_ARMED, BP_IDLE) !=
			    BP_ARMED)
				continue;
			/* Its own: no site_hit() can be running for it. */
			take_bp(sb);
			racetrap_count(&t->stats, RACETRAP_STAT_PROBES_IDLE);
		} else if (state != BP_DONE || !sb->rearm_wanted) {
			continue;
		}
		racetrap_count(&t->stats, RACETRAP_STAT_SITE_REFRESHES);
		n++;
		if (draw(t, sb, last))
			arm(t, sb, current);
	}
	mutex_unlock(&t->site_lock);
	if (n)
		racetrap_budget_charge(t, ktime_get_ns() - t0);
}

/* Task context of the thread that hit @sb, on its way back to user mode. */
static void site_sample_fn(struct callback_head *cb)
{
	struct site_bp *sb = container_of(cb, struct site_bp, cb);
	struct racetrap_site_set *set = sb->set;
	struct racetrap_tracer *t = set->tracer;
	u64 t0 = ktime_get_ns();

	/* Fired before the rotation stored it: that is done under the lock. */
	if (!smp_load_acquire(&sb->bp)) {
		mutex_lock(&t->site_lock);
		mutex_unlock(&t->site_lock);
	}
	take_bp(sb);
	racetrap_budget_charge(t, ktime_get_ns() - t0);
	racetrap_sites_note_probe(t, sb->ref.table_id, sb->idx, true);
	racetrap_sites_mark_live(t, sb->ip);
	racetrap_sample_at(t, sb->ip, &sb->ref, RACETRAP_REC_TRIGGER_SITE);
	rearm(sb);
	put_set(set);
	racetrap_leave(t);
}

/*
 * Take out the current set's breakpoints; no site_hit() of theirs runs
 * once this returns, and none is re-armed.  A hit being sampled finishes
 * its sample.  Under @t->site_lock.  Returns how many it took out, for
 * the budget.
 */
unsigned int racetrap_site_stop(struct racetrap_tracer *t)
{
	struct racetrap_site_set *set = t->site_set;
	unsigned int i, n = 0;

	lockdep_assert_held(&t->site_lock);
	if (!set)
		return 0;
	set->retired = true;
	for (i = 0; i < set->cap; i++) {
		struct site_bp *sb = &set->bps[i];
		int state;

		if (!take_bp(sb))
			continue;
		n++;
		/* A hit's task_work notes its site itself. */
		state = atomic_cmpxchg(&sb->state, BP_ARMED, BP_DONE);
		if (state == BP_DEAD)
			atomic_set(&sb->state, BP_DONE);
		if (state == BP_ARMED || state == BP_DEAD)
			racetrap_sites_note_probe(t, sb->ref.table_id, sb->idx,
						  state == BP_DEAD);
	}
	t->site_set = NULL;
	put_set(set);
	return n;
}

/*
 * How many site breakpoints each thread gets.  x86 has four debug
 * registers: the windows' per-CPU breakpoints take one of every CPU's
 * for each set made (the largest max_watchpoints of the attachments,
 * watch_pool.c), an aim one, and the site trigger two of the rest, at
 * least one.
 * A uprobe fired in every thread; a breakpoint fires only in its own, so
 * a second one per thread is what keeps a Go program's few threads (its
 * Ms, which run every goroutine) sampling about as many sites.
 */
static unsigned int per_thread(struct racetrap_tracer *t)
{
	int free = 3 - (int)max(READ_ONCE(t->cfg.max_watchpoints),
				racetrap_watch_pool_sets());

	return clamp(free, 1, PER_THREAD_MAX);
}

/*
 * Retire the set and arm a new one: per_thread() sites per thread, in
 * up to site_probes threads, with room for BIRTH_SPARE more threads (but
 * site_probes in all) born before the next rotation.  Under
 * @t->site_lock.  Returns how many breakpoints it armed or took out in
 * other threads, for the budget.
 */
static unsigned int rotate(struct racetrap_tracer *t)
{
	unsigned int max = READ_ONCE(t->cfg.site_probes), per = per_thread(t);
	unsigned int remote, nr, left, cap, used = 0, i;
	struct racetrap_site_set *set;
	struct task_struct *task, **tasks;

	remote = racetrap_site_stop(t);
	if (!READ_ONCE(t->nr_sites))
		return remote;
	task = get_pid_task(t->tgid, PIDTYPE_TGID);
	if (!task)
		return remote;
	tasks = racetrap_threads(task, NULL, max, &nr, &left);
	put_task_struct(task);
	if (!tasks)
		return remote;
	cap = min(max, nr + BIRTH_SPARE) * per;
	/* Up to 2048 breakpoints, some 200 KiB: not one high-order block. */
	set = kvzalloc(struct_size(set, bps, cap), GFP_KERNEL);
	if (!set)
		goto out;
	refcount_set(&set->users, 1);
	set->tracer = t;
	set->cap = cap;
	for (i = 0; i < set->cap; i++)
		set->bps[i].set = set;
	for (i = 0; i < nr * per; i++) {
		struct site_bp *sb = &set->bps[used];
		/* A thread's second breakpoint: not on its first one's site. */
		unsigned long avoid = i % per && used ? set->bps[used - 1].ip : 0;

		if (!draw(t, sb, avoid) || arm(t, sb, tasks[i / per]))
			continue;
		used++;
		remote++;
	}
	t->site_set = set;
	racetrap_count(&t->stats, RACETRAP_STAT_ROTATIONS);
out:
	racetrap_put_threads(tasks, nr);
	return remote;
}

/*
 * Take out the breakpoint of slot @sb if its thread has exited without
 * reaching it (an exiting thread runs no user code: it can no longer
 * fire); true if it did.  Its site is not noted unfired: the caller hands
 * it on.  Under @t->site_lock.
 */
static bool orphaned(struct racetrap_tracer *t, struct site_bp *sb)
{
	lockdep_assert_held(&t->site_lock);
	if (atomic_read(&sb->state) != BP_ARMED || !sb->task ||
	    !(READ_ONCE(sb->task->flags) & PF_EXITING) ||
	    atomic_cmpxchg(&sb->state, BP_ARMED, BP_DONE) != BP_ARMED)
		return false;
	take_bp(sb);
	return true;
}

/*
 * A slot that holds nothing a hit's task_work may still use: never armed,
 * done, or fired in a thread that was dying (its breakpoint taken out
 * here).  Under @t->site_lock.
 */
static bool free_slot(struct racetrap_tracer *t, struct site_bp *sb)
{
	int state = atomic_read_acquire(&sb->state);	/* pairs with rearm() */

	lockdep_assert_held(&t->site_lock);
	if (state == BP_IDLE || state == BP_DONE)
		return true;
	if (state != BP_DEAD ||
	    atomic_cmpxchg(&sb->state, BP_DEAD, BP_DONE) != BP_DEAD)
		return false;
	if (take_bp(sb))
		racetrap_sites_note_probe(t, sb->ref.table_id, sb->idx, true);
	return true;
}

/*
 * The current thread was just born and has not run user code yet: arm
 * its per_thread() site breakpoints itself, in slots of the current set.
 * Arming one's own thread needs no cross-CPU call.  First it takes over
 * the breakpoints of threads that exited before reaching them, on the
 * same sites: a site that one request in sixteen runs would otherwise
 * die unfired with thread after thread, where a uprobe would have fired
 * in the sixteenth.  A site handed on HANDOFF_MAX times unfired is not
 * run by such threads: it is noted unfired (sites.c retires it from the
 * live draws) and the slot drawn afresh.  Then it draws new sites in
 * free slots.  Under @t->site_lock; returns how many it armed.
 */
static unsigned int arm_newborn(struct racetrap_tracer *t)
{
	struct racetrap_site_set *set = t->site_set;
	unsigned int per = per_thread(t), armed = 0, pass, i;
	unsigned long avoid = 0;

	lockdep_assert_held(&t->site_lock);
	if (!set || !may_arm_self(t))
		return 0;
	/*
	 * A rotation between its fork and now found it on the thread list
	 * and armed it already: only what that left, or the thread would
	 * hold every debug register and its windows would find none.
	 */
	for (i = 0; i < set->cap && per; i++) {
		struct site_bp *sb = &set->bps[i];

		if (sb->task == current &&
		    atomic_read(&sb->state) == BP_ARMED) {
			avoid = sb->ip;
			per--;
		}
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < set->cap && armed < per; i++) {
			struct site_bp *sb = &set->bps[i];
			bool handed = false;

			if (!pass) {
				if (!orphaned(t, sb))
					continue;
				handed = sb->handoffs < HANDOFF_MAX &&
					 sb->ip != avoid &&
					 racetrap_sites_vaddr(t, &sb->ref,
							      &sb->ip);
				if (!handed)
					racetrap_sites_note_probe(t,
						sb->ref.table_id, sb->idx,
						false);
			} else if (!free_slot(t, sb)) {
				continue;
			}
			if (!handed && !draw(t, sb, avoid))
				return armed;
			if (arm(t, sb, current))
				return armed;
			if (handed) {
				sb->handoffs++;
				racetrap_count(&t->stats,
					       RACETRAP_STAT_SITE_HANDOFFS);
			}
			avoid = sb->ip;
			armed++;
		}
	}
	return armed;
}

/* Task context of a newborn thread, before its first user instruction. */
static void birth_fn(struct callback_head *cb)
{
	struct racetrap_birth_work *bw =
		container_of(cb, struct racetrap_birth_work, cb);
	struct racetrap_tracer *t = bw->tracer;
	u64 t0 = ktime_get_ns();

	if (current->flags & PF_EXITING)
		goto out;
	/* Never wait for a rotation: the next one covers this thread. */
	if (mutex_trylock(&t->site_lock)) {
		if (arm_newborn(t))
			racetrap_count(&t->stats, RACETRAP_STAT_SITE_BIRTHS);
		mutex_unlock(&t->site_lock);
	}
	racetrap_budget_charge(t, ktime_get_ns() - t0);
out:
	racetrap_release_bit(&t->birth_busy, bw - t->births);
	racetrap_leave(t);
}

/*
 * @child, a new thread of @t's target, was just created by the current
 * thread and has not run yet (births.c, from the fork tracepoint; atomic
 * context).  Threads born between rotations would get no site breakpoint
 * until the next one, and a service's thread per request lives for less
 * than a rotation: so each newborn arms its own on its way to user mode.
 * (Windows open then watch it already: their breakpoints are per CPU.)
 * Without a free work (RACETRAP_BIRTH_WORKS queued) it waits for the
 * next rotation.
 */
void racetrap_site_birth(struct racetrap_tracer *t, struct task_struct *child)
{
	struct racetrap_birth_work *bw;
	unsigned int i;

	/*
	 * A thread of the image attached to, not of one exec'ed since; with
	 * site breakpoints to arm.
	 */
	if (child->mm != READ_ONCE(t->mm) ||
	    !(READ_ONCE(t->cfg.triggers) & RACETRAP_TRIGGER_SITE) ||
	    READ_ONCE(t->throttled) || !READ_ONCE(t->site_set))
		return;
	if (!racetrap_enter(t))
		return;
	i = racetrap_claim_bit(&t->birth_busy, RACETRAP_BIRTH_WORKS);
	if (i == RACETRAP_BIRTH_WORKS)
		goto leave;
	bw = &t->births[i];
	bw->tracer = t;
	init_task_work(&bw->cb, birth_fn);
	if (!task_work_add(child, &bw->cb, TWA_RESUME))
		return;
	racetrap_release_bit(&t->birth_busy, i);
leave:
	racetrap_leave(t);
}

void racetrap_tick_fn(struct work_struct *work)
{
	struct racetrap_tracer *t =
		container_of(to_delayed_work(work), struct racetrap_tracer, tick);
	u32 rotate_ms = READ_ONCE(t->cfg.site_rotate_ms);
	bool spent;
	int reason;

	reason = racetrap_tracer_liveness(t);
	if (reason) {
		racetrap_tracer_end_async(t, reason);
		return;
	}
	racetrap_clock_expire(t, false);
	racetrap_watch_pool_retry();
	spent = racetrap_budget_check(t);
	racetrap_clock_pace(t);
	mutex_lock(&t->site_lock);
	if (spent || !(READ_ONCE(t->cfg.triggers) & RACETRAP_TRIGGER_SITE)) {
		/* Breakpoints would only trap to be refused: take them out. */
		if (t->site_set)
			racetrap_budget_charge_rotation(t,
							racetrap_site_stop(t),
							false);
	} else if (!t->site_set ||
		   time_after_eq64(get_jiffies_64(), t->last_rotate)) {
		if (racetrap_budget_rotation_due(t)) {
			racetrap_budget_charge_rotation(t, rotate(t), true);
			t->last_rotate = get_jiffies_64() +
					 msecs_to_jiffies(rotate_ms);
		} else {
			racetrap_count(&t->stats,
				       RACETRAP_STAT_ROTATIONS_DEFERRED);
		}
	}
	mutex_unlock(&t->site_lock);
	schedule_delayed_work(&t->tick,
			      msecs_to_jiffies(min(rotate_ms, TICK_MAX_MS)));
}
