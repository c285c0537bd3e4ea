// SPDX-License-Identifier: GPL-2.0
/*
 * Site sampling.  A tick every min(site_rotate_ms, 100) ms checks that the
 * target still runs the image it was attached to, and every
 * site_rotate_ms redraws the probed set: site_probes sites drawn
 * uniformly over all tables, each a uprobe whose filter admits only the
 * target's mm and only until it fires once (DataCollider's one-shot
 * breakpoints: every site gets the same chance, however hot).
 *
 * The handler runs in the probed thread's task context between the int3
 * and the out-of-line single-step of the instruction's copy (regs->ip is
 * the probed address).  It never sleeps there: it keeps the registers and
 * the site for a sample taken once the step is done (site_step.c), and
 * hands the probe's removal to a kworker.
 *
 * While the overhead budget is spent (the tick asks budget.c) no probe
 * is armed: a probe would only trap for a sample that must be refused.
 */
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "budget.h"
#include "compat.h"
#include "sample.h"
#include "site_step.h"
#include "step_guard.h"
#include "tracer.h"
#include "trigger_clock.h"
#include "trigger_site.h"

#define TICK_MAX_MS	100

struct racetrap_probe {
	struct uprobe_consumer uc;
	struct racetrap_tracer *tracer;
	struct racetrap_uprobe handle;
	struct inode *inode;
	struct racetrap_site_ref ref;
	u32 idx;			/* the site's index in its table */
	bool armed;			/* registered: its int3 may be in the text */
	bool fired;
	bool removing;			/* in the set remove_probes() takes out */
};

static RACETRAP_UPROBE_FILTER(probe_filter, uc, mm)
{
	struct racetrap_probe *p = container_of(uc, struct racetrap_probe, uc);

	return mm == p->tracer->mm && !READ_ONCE(p->fired);
}

/*
 * Does not return UPROBE_HANDLER_REMOVE: uprobes would take the int3 out
 * right here, between the int3 and the step, under the target's
 * mmap_lock and rewriting a page, either of which may sleep.  The probe
 * that fired is taken out by a kworker instead (fired_work); until then
 * further hits only trap and step.  Under the rig's xol_guard, whose
 * wait here sleeps anyway, the hit takes it out at once as it used to:
 * there the kworker's removal would have to block windows for a grace
 * period each time (see sample.c).
 */
static int probe_handler(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct racetrap_probe *p = container_of(uc, struct racetrap_probe, uc);
	struct racetrap_tracer *t = p->tracer;
	bool guarded;

	/* Another process mapping the file, or a fork's copy of the int3. */
	if (current->mm != t->mm)
		return 0;
	racetrap_budget_charge_bound(t, RACETRAP_COST_PROBE_HIT_NS);
	racetrap_sites_mark_live(t, regs->ip);
	/*
	 * The rig's xol_guard only: wait out open windows before the step
	 * (see sample.c), even while the tracer is stopping.  Teardown
	 * unregisters the probes, so this never outlives it.
	 */
	atomic_inc(&t->inflight);
	guarded = racetrap_sample_before_step(t, regs, &p->ref.site);
	racetrap_step_guard(t, regs, &p->ref.site);
	racetrap_leave(t);
	racetrap_step_guard_test_delay();
	if (racetrap_enter(t)) {
		if (!xchg(&p->fired, true)) {
			/* The sample itself waits for the step (site_step.c). */
			racetrap_site_step_expect(t, regs, &p->ref);
			/* High priority: until it runs, hot code keeps trapping. */
			if (!guarded)
				queue_work(system_highpri_wq, &t->fired_work);
		}
		racetrap_leave(t);
	}
	return guarded ? UPROBE_HANDLER_REMOVE : 0;
}

/* Has @p[0..@n) already got this site? */
static bool probed(const struct racetrap_probe *p, unsigned int n, u32 table_id,
		   u64 offset)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (p[i].ref.table_id == table_id &&
		    p[i].ref.site.offset == offset)
			return true;
	return false;
}

/* Was @ref's site one of the probes being removed?  @arg: the tracer. */
static bool was_probed(const struct racetrap_site_ref *ref, void *arg)
{
	struct racetrap_tracer *t = arg;
	unsigned int i;

	for (i = 0; i < t->nr_probes; i++)
		if (t->probes[i].removing &&
		    t->probes[i].ref.table_id == ref->table_id &&
		    t->probes[i].ref.site.offset == ref->site.offset)
			return true;
	return false;
}

static void unregister_probes(struct racetrap_tracer *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_probes; i++) {
		struct racetrap_probe *p = &t->probes[i];

		if (p->removing)
			racetrap_uprobe_unregister(&p->handle, p->inode,
						   p->ref.site.offset, &p->uc);
	}
}

struct unregister_work {
	struct work_struct work;
	struct racetrap_tracer *tracer;
};

static void unregister_work_fn(struct work_struct *work)
{
	unregister_probes(container_of(work, struct unregister_work,
				       work)->tracer);
}

/*
 * Unregister the armed probes, or only those that fired; no handler of
 * theirs runs once this returns.  Under @t->probe_lock.  Returns how many
 * int3s this took out of the target's text that had not fired, for the
 * budget: a fired probe's removal was charged with its hit.
 */
static unsigned int remove_probes(struct racetrap_tracer *t, bool fired_only)
{
	unsigned int i, n = 0, rewrites = 0;

	lockdep_assert_held(&t->probe_lock);
	for (i = 0; i < t->nr_probes; i++) {
		struct racetrap_probe *p = &t->probes[i];
		bool fired = READ_ONCE(p->fired);

		p->removing = p->armed && (fired || !fired_only);
		n += p->removing;
		rewrites += p->removing && !fired;
	}
	if (!n)
		return 0;
	/*
	 * No thread may step a probed copy while watched (see sample.c):
	 * while int3s may still be hit, no window is open.
	 */
	racetrap_windows_block(t);
	/*
	 * Removing an int3 writes the text through get_user_pages, which
	 * gives up at once in a task with SIGKILL pending (a client killed
	 * in DETACH, a thread of a process exiting meanwhile): uprobes then
	 * leaks the probe and leaves the int3 in every process mapping the
	 * file.  Such a task hands the removal to a kworker and waits.
	 */
	if (fatal_signal_pending(current)) {
		struct unregister_work uw = { .tracer = t };

		INIT_WORK_ONSTACK(&uw.work, unregister_work_fn);
		queue_work(system_unbound_wq, &uw.work);
		flush_work(&uw.work);
		destroy_work_on_stack(&uw.work);
	} else {
		unregister_probes(t);
	}
	racetrap_uprobe_sync();
	racetrap_windows_unblock(t, was_probed, t);
	for (i = 0; i < t->nr_probes; i++) {
		struct racetrap_probe *p = &t->probes[i];

		if (p->removing) {
			p->armed = false;
			racetrap_sites_note_probe(t, p->ref.table_id, p->idx,
						  READ_ONCE(p->fired));
		}
		p->removing = false;
	}
	return rewrites;
}

/* Take the probes that fired out of the text, soon after they fired. */
void racetrap_site_fired_fn(struct work_struct *work)
{
	struct racetrap_tracer *t =
		container_of(work, struct racetrap_tracer, fired_work);

	mutex_lock(&t->probe_lock);
	if (!READ_ONCE(t->stopping))
		remove_probes(t, true);
	mutex_unlock(&t->probe_lock);
}

/*
 * Unregister and free the current set; no handler runs once this
 * returns.  Under @t->probe_lock.  Returns how many int3s this took out
 * of the target's text, for the budget.
 */
unsigned int racetrap_site_stop(struct racetrap_tracer *t)
{
	unsigned int i, rewrites = remove_probes(t, false);

	for (i = 0; i < t->nr_probes; i++)
		iput(t->probes[i].inode);
	kfree(t->probes);
	t->probes = NULL;
	t->nr_probes = 0;
	return rewrites;
}

/*
 * Draw @n distinct sites (fewer if the tables hold fewer: two probes on
 * one site would share its int3 and its chances), none that userspace
 * marked RACETRAP_SITE_F_NO_PROBE (an instruction uprobes would not step
 * faithfully); returns how many it drew.  LIVE_SHARE of every 4 are drawn
 * uniformly among the live sites (sites.c), the others uniformly over all
 * sites, which is how a function the clock never ticks in becomes live.
 */
#define LIVE_SHARE	3

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

static unsigned int draw(struct racetrap_tracer *t, struct racetrap_probe *p,
			 unsigned int n)
{
	unsigned int got = 0, tries = 0;
	bool forgiven = false;

	while (got < n && tries++ < 4 * n) {
		struct racetrap_site_ref ref;
		bool live = false;
		u32 idx;

		if (get_random_u32_below(4) < LIVE_SHARE) {
			live = racetrap_sites_draw_live(t, &ref, &idx);
			/*
			 * Every live site drawn was retired: the live set has
			 * been gone through.  All get their chance again, once
			 * a rotation.
			 */
			if (!live && !forgiven) {
				forgiven = true;
				if (racetrap_sites_forgive(t))
					live = racetrap_sites_draw_live(t, &ref,
									&idx);
			}
		}
		if (!live && !draw_any(t, &ref, &idx))
			break;
		if ((ref.site.flags & RACETRAP_SITE_F_NO_PROBE) ||
		    probed(p, got, ref.table_id, ref.site.offset))
			continue;
		p[got].inode = racetrap_sites_inode(t, ref.table_id);
		if (!p[got].inode)
			continue;
		p[got].ref = ref;
		p[got].idx = idx;
		got++;
	}
	return got;
}

/*
 * Each uprobe registered or unregistered walks every mapping of its file
 * and write-locks the mmap_lock of each process mapping it, the target's
 * and others' alike: site_rotate_ms has a floor (config.c).  Each int3
 * written into or taken out of the target's text is charged to the
 * budget (budget.c: the next rotation waits until the target has earned
 * twice what this one cost).  Returns how many.
 */
static unsigned int rotate(struct racetrap_tracer *t)
{
	unsigned int n = READ_ONCE(t->cfg.site_probes), i, rewrites;
	struct racetrap_probe *p;

	rewrites = racetrap_site_stop(t);
	if (!READ_ONCE(t->nr_sites))
		return rewrites;
	p = kcalloc(n, sizeof(*p), GFP_KERNEL);
	if (!p)
		return rewrites;
	t->probes = p;
	t->nr_probes = draw(t, p, n);
	for (i = 0; i < t->nr_probes; i++) {
		p[i].tracer = t;
		p[i].uc.handler = probe_handler;
		p[i].uc.filter = probe_filter;
		if (racetrap_uprobe_register(&p[i].handle, p[i].inode,
					     p[i].ref.site.offset, &p[i].uc)) {
			racetrap_count(&t->stats, RACETRAP_STAT_PROBE_ERRORS);
			continue;
		}
		p[i].armed = true;
		rewrites++;
		racetrap_count(&t->stats, RACETRAP_STAT_PROBES_ARMED);
	}
	racetrap_count(&t->stats, RACETRAP_STAT_ROTATIONS);
	return rewrites;
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
	racetrap_site_step_expire(t, false);
	spent = racetrap_budget_check(t);
	mutex_lock(&t->probe_lock);
	if (spent || !(READ_ONCE(t->cfg.triggers) & RACETRAP_TRIGGER_SITE)) {
		/* Probes would only trap to be refused: disarm them. */
		if (t->nr_probes)
			racetrap_budget_charge_rotation(t,
							racetrap_site_stop(t),
							false);
	} else if (!t->nr_probes ||
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
	mutex_unlock(&t->probe_lock);
	schedule_delayed_work(&t->tick,
			      msecs_to_jiffies(min(rotate_ms, TICK_MAX_MS)));
}
