// SPDX-License-Identifier: GPL-2.0
/*
 * Which threads get the site trigger's breakpoints (trigger_site.c, up to
 * site_probes of them): arming a thread costs a cross-CPU call to the CPU
 * it last ran on, asleep or not (perf installs and removes a task's event
 * there).  The likeliest to run first: threads on a CPU now, then
 * runnable ones, then sleeping ones; within a class the draw is uniform,
 * so over rotations every thread is drawn.
 */
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include "threads.h"

/* Lower is armed first: class in the high word, a random draw below. */
static u64 arm_key(struct task_struct *th)
{
	u64 class = READ_ONCE(th->on_cpu) ? 0 : task_is_running(th) ? 1 : 2;

	return class << 32 | get_random_u32();
}

/*
 * References to at most @max of @task's live threads except @skip, in
 * @tasks (free with racetrap_put_threads()); *@left says how many were
 * not taken.  NULL on ENOMEM.  Keeping the @max lowest keys is a scan of
 * the kept ones per replacement: cheap for the few dozen that are kept
 * by default.
 */
struct task_struct **racetrap_threads(struct task_struct *task,
				      struct task_struct *skip,
				      unsigned int max, unsigned int *nr,
				      unsigned int *left)
{
	struct task_struct **tasks, *th;
	unsigned int n = 0, seen = 0, cap, worst = 0, i;
	u64 *keys, key;

	cap = clamp_t(unsigned int, get_nr_threads(task), 1, max);
	tasks = kmalloc_array(cap, sizeof(*tasks) + sizeof(*keys), GFP_KERNEL);
	if (!tasks)
		return NULL;
	keys = (u64 *)(tasks + cap);
	rcu_read_lock();
	for_each_thread(task, th) {
		if (th == skip || (th->flags & PF_EXITING))
			continue;
		seen++;
		key = arm_key(th);
		if (n < cap)
			i = n++;
		else if (key < keys[worst])
			i = worst;
		else
			continue;
		tasks[i] = th;
		keys[i] = key;
		if (n < cap)
			continue;
		for (worst = 0, i = 1; i < n; i++)
			if (keys[i] > keys[worst])
				worst = i;
	}
	for (i = 0; i < n; i++)
		get_task_struct(tasks[i]);
	rcu_read_unlock();
	*nr = n;
	*left = seen - n;
	return tasks;
}

void racetrap_put_threads(struct task_struct **tasks, unsigned int nr)
{
	while (nr--)
		put_task_struct(tasks[nr]);
	kfree(tasks);
}
