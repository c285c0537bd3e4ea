// SPDX-License-Identifier: GPL-2.0
/*
 * The windows' breakpoints: up to RACETRAP_MAX_WATCHPOINTS sets, each one
 * disabled read/write breakpoint per CPU online when it was made, made
 * at the first attach, shared by every attachment and freed with the
 * last one.  A window borrows a set, moves its breakpoints to the word
 * and enables them (watch.c).
 *
 * Made once, not per window: registering a breakpoint with no task takes
 * perf's constraint lock for writing (percpu_down_write() on 6.12), which
 * waits for an RCU grace period, and per window that held the sampled
 * thread for milliseconds with no CPU watched yet.  Moving one does not
 * take it unless its type changes: so every window watches reads and
 * writes.  Shared, not per attachment: perf counts a set against every
 * thread on the machine (one debug register of each CPU), so sets per
 * attachment would leave the site and clock triggers' breakpoints no
 * register from the second attachment on.  The sets made follow the
 * largest max_watchpoints asked for while anything is attached.
 *
 * The breakpoints record the attached targets' own user-mode accesses
 * only (watch.c drops every other trap), which the attachers may read
 * anyway; perf asks CPU-wide rights of whoever opens an event with no
 * task, so a kernel worker makes them.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/hw_breakpoint.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "tracer.h"
#include "watch_pool.h"

static DEFINE_MUTEX(pool_lock);
static struct racetrap_watch_set pool[RACETRAP_MAX_WATCHPOINTS];
static unsigned int pool_made;		/* sets with breakpoints */
static unsigned int pool_want;		/* largest max_watchpoints asked */
static unsigned int pool_users;		/* attachments */
static unsigned long pool_busy;		/* sets lent to windows */
static unsigned long pool_retry;	/* jiffies of the next try, 0: none */

/* A window's breakpoint: reads and writes always (see above). */
void racetrap_watch_attr(struct perf_event_attr *attr, unsigned long addr,
			 unsigned int len, bool disabled)
{
	hw_breakpoint_init(attr);
	attr->bp_addr = addr;
	attr->bp_len = len;
	attr->bp_type = HW_BREAKPOINT_W | HW_BREAKPOINT_R;
	attr->disabled = disabled;
}

static void free_set(struct racetrap_watch_set *set)
{
	unsigned int cpu;

	if (!set->bps)
		return;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		unregister_hw_breakpoint(set->bps[cpu]);
	kfree(set->bps);
	set->bps = NULL;
}

/* 0, -ENOSPC (a CPU has no debug register free), -ENOMEM. */
static int make_set(struct racetrap_watch_set *set)
{
	struct perf_event_attr attr;
	struct perf_event *bp;
	unsigned int cpu;
	int ret = 0;

	set->bps = kcalloc(nr_cpu_ids, sizeof(*set->bps), GFP_KERNEL);
	if (!set->bps)
		return -ENOMEM;
	/* Any user address will do while it is disabled. */
	racetrap_watch_attr(&attr, PAGE_SIZE, HW_BREAKPOINT_LEN_8, true);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		bp = perf_event_create_kernel_counter(&attr, cpu, NULL,
						      racetrap_watch_hit, set);
		if (IS_ERR(bp)) {
			ret = PTR_ERR(bp);
			break;
		}
		set->bps[cpu] = bp;
	}
	cpus_read_unlock();
	if (ret)
		free_set(set);
	return ret;
}

/*
 * Make the sets wanted and missing, in a kernel worker, under @pool_lock.
 * After a failure the tick tries again a second later.
 */
static int make_wanted(void)
{
	int ret = 0;

	lockdep_assert_held(&pool_lock);
	while (pool_made < pool_want) {
		ret = make_set(&pool[pool_made]);
		if (ret)
			break;
		/* Pairs with racetrap_watch_pool_claim()'s acquire. */
		smp_store_release(&pool_made, pool_made + 1);
	}
	pool_retry = ret ? jiffies + HZ : 0;
	return ret;
}

struct pool_work {
	struct work_struct work;
	unsigned int users, want;
	int ret;
};

/* With no attachment left, nothing of the pool is left either. */
static void free_unused(void)
{
	unsigned int i;

	lockdep_assert_held(&pool_lock);
	if (pool_users)
		return;
	for (i = 0; i < pool_made; i++)
		free_set(&pool[i]);
	pool_made = 0;
	pool_want = 0;
	pool_retry = 0;
}

static void pool_work_fn(struct work_struct *work)
{
	struct pool_work *pw = container_of(work, struct pool_work, work);
	unsigned int want;

	mutex_lock(&pool_lock);
	want = pool_want;
	pool_users += pw->users;
	pool_want = max(pool_want, pw->want);
	pw->ret = make_wanted();
	/* No free debug register is no error: windows wait (SKIP_NOSPC). */
	if (pw->ret == -ENOSPC)
		pw->ret = 0;
	if (pw->ret) {
		/* A failed ATTACH or CONFIG asks for nothing. */
		pool_users -= pw->users;
		pool_want = max(want, pool_made);
		pool_retry = pool_made < pool_want ? jiffies + HZ : 0;
		free_unused();
	}
	mutex_unlock(&pool_lock);
}

static int pool_run(unsigned int users, unsigned int want)
{
	struct pool_work pw = {
		.users = users,
		.want = min_t(unsigned int, want, RACETRAP_MAX_WATCHPOINTS),
	};

	INIT_WORK_ONSTACK(&pw.work, pool_work_fn);
	queue_work(system_unbound_wq, &pw.work);
	flush_work(&pw.work);
	destroy_work_on_stack(&pw.work);
	return pw.ret;
}

/* An attachment that allows @nr windows at once: 0, or perf's error. */
int racetrap_watch_pool_get(unsigned int nr)
{
	return pool_run(1, nr);
}

/* An attachment's CONFIG raised max_watchpoints to @nr. */
int racetrap_watch_pool_grow(unsigned int nr)
{
	return pool_run(0, nr);
}

/* An attachment ended, its windows closed: the last one frees the sets. */
void racetrap_watch_pool_put(void)
{
	mutex_lock(&pool_lock);
	pool_users--;
	free_unused();
	mutex_unlock(&pool_lock);
}

/* The tick's work (a kernel worker): try again what could not be made. */
void racetrap_watch_pool_retry(void)
{
	if (!READ_ONCE(pool_retry) ||
	    time_before(jiffies, READ_ONCE(pool_retry)) ||
	    !mutex_trylock(&pool_lock))
		return;
	if (pool_retry && pool_users)
		make_wanted();
	mutex_unlock(&pool_lock);
}

/* Sets the site trigger must leave a debug register for in every thread. */
unsigned int racetrap_watch_pool_sets(void)
{
	return max(READ_ONCE(pool_want), 1U);
}

/*
 * A free set for @slot's window, or NULL with *@err -ENOSPC (none made:
 * debug registers taken) or -EBUSY (all lent).  Any context but #DB.
 */
struct racetrap_watch_set *racetrap_watch_pool_claim(struct racetrap_slot *slot,
						     int *err)
{
	unsigned int made, i;

	/* Pairs with make_wanted()'s release: the set's bps are there. */
	made = smp_load_acquire(&pool_made);
	*err = -ENOSPC;
	if (!made)
		return NULL;
	i = racetrap_claim_bit(&pool_busy, made);
	*err = -EBUSY;
	if (i >= made)
		return NULL;
	WRITE_ONCE(pool[i].owner, slot);
	return &pool[i];
}

/* The window is disarmed: no handler runs for @set any more. */
void racetrap_watch_pool_release(struct racetrap_watch_set *set)
{
	WRITE_ONCE(set->owner, NULL);
	racetrap_release_bit(&pool_busy, set - pool);
}
