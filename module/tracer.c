// SPDX-License-Identifier: GPL-2.0
/*
 * The tracer's life: created by open(), attached to one process, stopped
 * by detach, close, the target's exit or exec, and freed by release().
 *
 * Teardown is one idempotent function, racetrap_tracer_stop(), run under
 * the tracer mutex.  Nothing the samplers run takes that mutex, so it can
 * wait for them: it marks the tracer stopping, wakes stalled threads,
 * takes out the site breakpoints and the cpu-clock events (both wait for
 * running handlers), and waits until no sample, queued site sample or
 * queued clock work is left.
 * Samples disarm their own watchpoints before they finish, so after stop
 * nothing of racetrap remains in the target.
 */
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include "births.h"
#include "config.h"
#include "limits.h"
#include "perm.h"
#include "sample.h"
#include "yield.h"
#include "tracer.h"
#include "watch_pool.h"
#include "trigger_clock.h"
#include "trigger_site.h"

/* Attached tracers, to allow only one per process. */
static LIST_HEAD(racetrap_attached);
static DEFINE_MUTEX(racetrap_registry_lock);

static void end_work_fn(struct work_struct *work)
{
	struct racetrap_tracer *t =
		container_of(work, struct racetrap_tracer, end_work);

	mutex_lock(&t->lock);
	if (t->attached && READ_ONCE(t->end_gen) == t->gen)
		racetrap_tracer_stop(t, READ_ONCE(t->end_reason));
	mutex_unlock(&t->lock);
}

struct racetrap_tracer *racetrap_tracer_create(void)
{
	/* The opener's memory: charged to its memory cgroup. */
	struct racetrap_tracer *t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	unsigned int i;

	if (!t)
		return NULL;
	mutex_init(&t->lock);
	mutex_init(&t->aim_lock);
	racetrap_config_defaults(&t->cfg);
	if (racetrap_ring_init(&t->ring, &t->stats)) {
		kvfree(t);
		return NULL;
	}
	INIT_LIST_HEAD(&t->node);
	INIT_LIST_HEAD(&t->tables);
	init_completion(&t->idle);
	raw_spin_lock_init(&t->live_lock);
	raw_spin_lock_init(&t->budget.lock);
	mutex_init(&t->site_lock);
	INIT_DELAYED_WORK(&t->tick, racetrap_tick_fn);
	INIT_WORK(&t->end_work, end_work_fn);
	for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++) {
		t->slots[i].tracer = t;
		raw_spin_lock_init(&t->slots[i].lock);
		racetrap_yield_slot_init(&t->slots[i]);
	}
	pr_debug("tracer %p created\n", t);
	return t;
}

void racetrap_tracer_destroy(struct racetrap_tracer *t)
{
	unsigned int i;

	mutex_lock(&t->lock);
	racetrap_tracer_stop(t, RACETRAP_END_DETACH);
	mutex_unlock(&t->lock);
	/* A queued end_work finds the tracer detached and does nothing. */
	cancel_work_sync(&t->end_work);
	for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++)
		racetrap_yield_slot_flush(&t->slots[i]);
	racetrap_ring_free(&t->ring);
	for (i = 0; i < RACETRAP_MAX_WATCHPOINTS; i++)
		kvfree(t->slots[i].dumps);
	pr_debug("tracer %p destroyed\n", t);
	kvfree(t);
}

/*
 * 0 while some thread of the target still runs the attached image,
 * RACETRAP_END_EXEC once its threads run another one, RACETRAP_END_EXIT
 * once none is left.
 */
int racetrap_tracer_liveness(struct racetrap_tracer *t)
{
	struct task_struct *task, *th;
	bool same = false, other = false;

	rcu_read_lock();
	task = pid_task(t->tgid, PIDTYPE_TGID);
	if (task) {
		for_each_thread(task, th) {
			struct mm_struct *mm = READ_ONCE(th->mm);

			if (mm == t->mm)
				same = true;
			else if (mm)
				other = true;
		}
	}
	rcu_read_unlock();
	if (same)
		return 0;
	return other ? RACETRAP_END_EXEC : RACETRAP_END_EXIT;
}

/* Called from the tick: stop in another work, which may take the mutex. */
void racetrap_tracer_end_async(struct racetrap_tracer *t, int reason)
{
	WRITE_ONCE(t->end_reason, reason);
	WRITE_ONCE(t->end_gen, t->gen);
	schedule_work(&t->end_work);
}

static int registry_add(struct racetrap_tracer *t)
{
	struct racetrap_tracer *it;
	int ret = 0;

	mutex_lock(&racetrap_registry_lock);
	list_for_each_entry(it, &racetrap_attached, node) {
		if (it->tgid == t->tgid) {
			ret = -EBUSY;
			break;
		}
	}
	if (!ret) {
		list_add_rcu(&t->node, &racetrap_attached);
		racetrap_births_get();
	}
	mutex_unlock(&racetrap_registry_lock);
	return ret;
}

/* Once this returns, no racetrap_tracer_find_rcu() caller holds @t. */
static void registry_del(struct racetrap_tracer *t)
{
	mutex_lock(&racetrap_registry_lock);
	list_del_rcu(&t->node);
	racetrap_births_put();
	mutex_unlock(&racetrap_registry_lock);
	synchronize_rcu();
	INIT_LIST_HEAD(&t->node);
}

/*
 * The tracer attached to the process @tgid, or NULL.  Under
 * rcu_read_lock(); the tracer stays allocated until it is dropped, but
 * may be stopping: take a reference with racetrap_enter().
 */
struct racetrap_tracer *racetrap_tracer_find_rcu(struct pid *tgid)
{
	struct racetrap_tracer *t;

	list_for_each_entry_rcu(t, &racetrap_attached, node)
		if (READ_ONCE(t->tgid) == tgid)
			return t;
	return NULL;
}

static struct task_struct *find_target(pid_t pid)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	return task;
}

static void release_attachment(struct racetrap_tracer *t)
{
	racetrap_limits_detach(&t->owner);
	registry_del(t);
	put_pid(t->tgid);
	t->tgid = NULL;
	mmdrop(t->mm);
	t->mm = NULL;
	put_pid_ns(t->pid_ns);
	t->pid_ns = NULL;
	t->attached = false;
}

/*
 * The clock trigger's right (perm_clock.c): 0, or why ATTACH fails.  Only
 * a configured clock trigger needs it, but a proof given is checked
 * anyway: a bad descriptor is bad input.  Without the right the
 * attachment may still use the site trigger: CONFIG refuses the clock.
 */
static int clock_right(struct racetrap_tracer *t, struct task_struct *task,
		       const struct racetrap_attach *a)
{
	bool has_fd = a->flags & RACETRAP_ATTACH_F_PERF_FD;
	int ret = racetrap_perm_clock(task, has_fd, a->perf_fd);

	t->clock_allowed = !ret;
	if (ret == -EACCES && !(t->cfg.triggers & RACETRAP_TRIGGER_CLOCK))
		return 0;
	return ret;
}

int racetrap_tracer_attach(struct racetrap_tracer *t,
			   const struct racetrap_attach *a)
{
	struct task_struct *task;
	struct file *mem_file;
	struct mm_struct *mm;
	pid_t pid = a->pid;
	int ret;

	lockdep_assert_held(&t->lock);
	if (pid <= 0)
		return -EINVAL;
	if (t->attached)
		return -EALREADY;
	mem_file = racetrap_perm_get(a->mem_fd);
	if (IS_ERR(mem_file))
		return PTR_ERR(mem_file);
	task = find_target(pid);
	ret = -ESRCH;
	if (!task)
		goto out_put_file;
	ret = -EINVAL;
	if (task->flags & PF_KTHREAD)
		goto out_put_task;
	mm = get_task_mm(task);
	ret = -ESRCH;
	if (!mm)
		goto out_put_task;
	/* From here on the attachment is bound to this mm: an exec ends it. */
	ret = racetrap_perm_check(mem_file, mm);
	if (!ret)
		ret = clock_right(t, task, a);
	if (ret) {
		mmput(mm);
		goto out_put_task;
	}
	t->tgid = get_pid(task_tgid(task));
	ret = registry_add(t);
	if (!ret) {
		racetrap_owner_current(&t->owner);
		ret = racetrap_limits_attach(&t->owner);
		if (ret)
			registry_del(t);
	}
	if (ret) {
		put_pid(t->tgid);
		t->tgid = NULL;
		mmput(mm);
		goto out_put_task;
	}
	mmgrab(mm);
	mmput(mm);
	t->mm = mm;
	t->pid_ns = get_pid_ns(task_active_pid_ns(current));
	t->pid_nr = __task_pid_nr_ns(task, PIDTYPE_TGID, t->pid_ns);
	t->gen++;
	t->attached = true;
	reinit_completion(&t->idle);
	t->throttled = false;
	racetrap_pairs_reset(&t->seen_pairs);
	racetrap_budget_start(t, task);
	t->last_rotate = get_jiffies_64();
	t->clock_shift = 0;

	/*
	 * The windows' breakpoints and the clock's events before the tracer
	 * can be entered (inflight is 0): a tick on one CPU while the event
	 * of another fails to start queues nothing, and failing leaves no
	 * work or aim behind.
	 */
	ret = racetrap_watch_pool_get(t->cfg.max_watchpoints);
	if (ret) {
		release_attachment(t);
		goto out_put_task;
	}
	if (t->cfg.triggers & RACETRAP_TRIGGER_CLOCK) {
		ret = racetrap_clock_start(t);
		if (ret) {
			racetrap_watch_pool_put();
			release_attachment(t);
			goto out_put_task;
		}
	}
	racetrap_ring_set_live(&t->ring, true, NULL);
	atomic_set(&t->inflight, 1);
	WRITE_ONCE(t->stopping, false);
	schedule_delayed_work(&t->tick, 0);
	pr_debug("tracer %p attached to %d\n", t, t->pid_nr);
out_put_task:
	put_task_struct(task);
out_put_file:
	racetrap_perm_put(mem_file);
	return ret;
}

void racetrap_tracer_stop(struct racetrap_tracer *t, int reason)
{
	struct racetrap_record end = {
		.size = sizeof(end),
		.version = RACETRAP_ABI_VERSION,
		.type = RACETRAP_REC_END,
		.end_reason = reason,
	};

	lockdep_assert_held(&t->lock);
	if (!t->attached)
		return;
	WRITE_ONCE(t->stopping, true);
	smp_mb(); /* pairs with racetrap_enter() */
	racetrap_sample_wake_all(t);
	cancel_delayed_work_sync(&t->tick);
	mutex_lock(&t->site_lock);
	racetrap_site_stop(t);
	mutex_unlock(&t->site_lock);
	racetrap_clock_stop(t);
	racetrap_leave(t);	/* the attachment's own reference */
	wait_for_completion(&t->idle);
	racetrap_watch_pool_put();
	racetrap_budget_stop(t);
	racetrap_sites_clear(t);
	end.pid = t->pid_nr;
	end.timestamp_ns = ktime_get_ns();
	pr_debug("tracer %p detached from %d (reason %d)\n", t, t->pid_nr,
		 reason);
	release_attachment(t);
	racetrap_ring_set_live(&t->ring, false, &end);
}

int racetrap_tracer_detach(struct racetrap_tracer *t)
{
	lockdep_assert_held(&t->lock);
	if (!t->attached)
		return -ENOENT;
	racetrap_tracer_stop(t, RACETRAP_END_DETACH);
	return 0;
}

/* Restart what a new configuration changes in a live attachment. */
static int apply_config(struct racetrap_tracer *t,
			const struct racetrap_config *old)
{
	const struct racetrap_config *cfg = &t->cfg;
	bool clock_was = old->triggers & RACETRAP_TRIGGER_CLOCK;
	bool clock_on = cfg->triggers & RACETRAP_TRIGGER_CLOCK;
	int ret = 0;

	if (clock_was != clock_on ||
	    (clock_on && old->clock_period_us != cfg->clock_period_us)) {
		/* The tick's work paces the clock's events: not meanwhile. */
		cancel_delayed_work_sync(&t->tick);
		racetrap_clock_stop(t);
		if (clock_on)
			ret = racetrap_clock_start(t);
		schedule_delayed_work(&t->tick, 0);
		if (ret)
			return ret;
	}
	/*
	 * Last, as nothing after it can fail: the sets are kept until the
	 * last detach (a window may use one), so a CONFIG undone would
	 * leave its set behind.
	 */
	if (cfg->max_watchpoints > old->max_watchpoints)
		ret = racetrap_watch_pool_grow(cfg->max_watchpoints);
	return ret;
}

static void write_config(struct racetrap_tracer *t,
			 const struct racetrap_config *cfg)
{
	unsigned int i;

	WRITE_ONCE(t->cfg.triggers, cfg->triggers);
	WRITE_ONCE(t->cfg.window_us, cfg->window_us);
	WRITE_ONCE(t->cfg.site_probes, cfg->site_probes);
	WRITE_ONCE(t->cfg.site_rotate_ms, cfg->site_rotate_ms);
	WRITE_ONCE(t->cfg.clock_period_us, cfg->clock_period_us);
	WRITE_ONCE(t->cfg.max_watchpoints, cfg->max_watchpoints);
	WRITE_ONCE(t->cfg.stack_depth, cfg->stack_depth);
	WRITE_ONCE(t->cfg.budget_ppm, cfg->budget_ppm);
	WRITE_ONCE(t->cfg.stack_reg, cfg->stack_reg);
	WRITE_ONCE(t->cfg.stack_off, cfg->stack_off);
	WRITE_ONCE(t->cfg.stack_dump, cfg->stack_dump);
	WRITE_ONCE(t->cfg.watch_threads, cfg->watch_threads);
	WRITE_ONCE(t->cfg.nr_ctx, cfg->nr_ctx);
	for (i = 0; i < RACETRAP_MAX_CTX_WORDS; i++)
		WRITE_ONCE(t->cfg.ctx_off[i], cfg->ctx_off[i]);
	WRITE_ONCE(t->cfg.go_guard_off, cfg->go_guard_off);
	WRITE_ONCE(t->cfg.go_preempt_off, cfg->go_preempt_off);
}

/*
 * The new configuration could not be applied (the clock trigger's events
 * could not be made): back to @old, clock included.  If even the old
 * clock cannot be restarted, the configuration in force says so: the
 * clock trigger is off.
 */
static void config_undo(struct racetrap_tracer *t,
			const struct racetrap_config *old)
{
	struct racetrap_config tried = t->cfg;

	write_config(t, old);
	if (apply_config(t, &tried))
		WRITE_ONCE(t->cfg.triggers,
			   old->triggers & ~RACETRAP_TRIGGER_CLOCK);
}

int racetrap_tracer_config(struct racetrap_tracer *t,
			   struct racetrap_config *arg)
{
	struct racetrap_config old = t->cfg, cfg = t->cfg;
	int ret;

	lockdep_assert_held(&t->lock);
	if (arg->flags & ~__RACETRAP_CONFIG_F_ALL)
		return -EOPNOTSUPP;
	if (arg->flags & RACETRAP_CONFIG_F_SET) {
		ret = racetrap_config_resolve(&cfg, arg);
		if (ret)
			return ret;
		if (t->attached && !t->clock_allowed &&
		    (cfg.triggers & RACETRAP_TRIGGER_CLOCK))
			return -EACCES;
		write_config(t, &cfg);
		if (t->attached) {
			ret = apply_config(t, &old);
			if (ret) {
				config_undo(t, &old);
				return ret;
			}
		}
	} else if (memchr_inv(arg->__pad, 0, sizeof(arg->__pad))) {
		return -EINVAL;
	}
	cfg = t->cfg;
	cfg.size = arg->size;
	cfg.flags = arg->flags;
	*arg = cfg;
	return 0;
}
