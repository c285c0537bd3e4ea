// SPDX-License-Identifier: GPL-2.0
/*
 * Thread births in attached targets, from the scheduler's
 * sched_process_fork tracepoint, so a new thread can arm its own site
 * breakpoints before its first instruction (trigger_site.c,
 * racetrap_site_birth()).  The tracepoint has no exported registration
 * function of its own: it is found by name among the kernel's
 * (for_each_kernel_tracepoint(), as LTTng does) and probed through the
 * exported tracepoint_probe_register().
 *
 * The probe is registered while at least one tracer is attached, and
 * only then: a loaded but unattached module costs fork() nothing.  It
 * runs in the parent, after the child is whole and before it first runs,
 * in atomic context.
 *
 * Registering the first probe of a tracepoint, and unregistering the
 * last, patches the kernel's text at the tracepoint (a jump label, with
 * text_poke_bp(): an int3, then IPIs).  QEMU's multi-threaded TCG has
 * been seen running the stale int3 of such a patch (perf_pin.c), so the
 * test rig sets pin_fork_probe: the probe stays registered from load to
 * unload, one patch each way.  Hardware does not run stale text.
 */
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "births.h"
#include "compat.h"
#include "tracer.h"
#include "trigger_site.h"

static bool pin_fork_probe;
module_param(pin_fork_probe, bool, 0444);
MODULE_PARM_DESC(pin_fork_probe,
		 "keep the fork probe registered from load to unload, for test VMs under QEMU multi-threaded TCG (default off)");

static struct tracepoint *fork_tp;
/* Under the caller's lock: attachments (+1 pinned), and the probe's state. */
static unsigned int fork_users;
static bool fork_probed;

static void find_fork_tp(struct tracepoint *tp, void *unused)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		fork_tp = tp;
}

static void on_fork(void *unused, struct task_struct *parent,
		    struct task_struct *child)
{
	struct racetrap_tracer *t;

	/* Threads of a user process only; not its io_uring or vhost workers. */
	if (!same_thread_group(parent, child) ||
	    (child->flags & RACETRAP_PF_NOT_USER))
		return;
	rcu_read_lock();
	t = racetrap_tracer_find_rcu(task_tgid(parent));
	if (t)
		racetrap_site_birth(t, child);
	rcu_read_unlock();
}

void racetrap_births_init(void)
{
	for_each_kernel_tracepoint(find_fork_tp, NULL);
	if (!fork_tp)
		pr_info("no sched_process_fork tracepoint: new threads wait for the next site rotation\n");
	else if (pin_fork_probe)
		racetrap_births_get();
}

void racetrap_births_exit(void)
{
	if (pin_fork_probe)
		racetrap_births_put();
}

/*
 * The first attachment registers the probe, and any later one while it
 * is not registered.  Failing to is not an attach error: threads then get
 * their site breakpoints at rotations only.
 */
void racetrap_births_get(void)
{
	int ret;

	if (!fork_tp)
		return;
	fork_users++;
	if (fork_probed)
		return;
	ret = tracepoint_probe_register(fork_tp, on_fork, NULL);
	if (ret)
		pr_warn_once("cannot probe sched_process_fork: %d\n", ret);
	else
		fork_probed = true;
}

/* The last detach unregisters it; no on_fork() runs once this returns. */
void racetrap_births_put(void)
{
	if (!fork_users || --fork_users || !fork_probed)
		return;
	tracepoint_probe_unregister(fork_tp, on_fork, NULL);
	tracepoint_synchronize_unregister();
	fork_probed = false;
}
