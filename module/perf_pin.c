// SPDX-License-Identifier: GPL-2.0
/*
 * Keep perf's context-switch hooks switched on while racetrap is loaded,
 * when the pin_perf_hooks parameter asks for it (the test rig does).
 *
 * The hooks are a jump label in __schedule() that the first task-bound
 * perf event of the system switches on, and the last one, a second after
 * it goes, switches off; each switch rewrites the scheduler's text with
 * text_poke_bp() (an int3, then rounds of IPIs to every CPU).  On a
 * machine with no other perf user, every racetrap attach and detach, and
 * every pause of more than a second between windows, would patch the
 * scheduler once more.  Under QEMU's multi-threaded TCG, where all our
 * tests run, a vCPU has been seen executing the stale int3 of such a
 * patch ("Oops: int3" in __schedule, with perf_event_alloc() patching
 * on the other vCPU).  One disabled event on a sleeping kernel thread of
 * our own holds the hooks on from insmod to rmmod: one patch each way,
 * when nothing is being traced.  Hardware does not run stale text, and
 * the pin would cost every context switch of the machine while nothing
 * is attached, so a real host leaves it off.
 */
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include "perf_pin.h"

static bool pin_perf_hooks;
module_param(pin_perf_hooks, bool, 0444);
MODULE_PARM_DESC(pin_perf_hooks,
		 "hold perf's scheduler hooks on from load to unload, for test VMs under QEMU multi-threaded TCG (default off)");

static struct task_struct *pin_thread;
static struct perf_event *pin_event;

static int pin_thread_fn(void *unused)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

int racetrap_perf_pin(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	int ret;

	if (!pin_perf_hooks)
		return 0;
	pin_thread = kthread_run(pin_thread_fn, NULL, "racetrap_pin");
	if (IS_ERR(pin_thread))
		return PTR_ERR(pin_thread);
	pin_event = perf_event_create_kernel_counter(&attr, -1, pin_thread,
						     NULL, NULL);
	if (IS_ERR(pin_event)) {
		ret = PTR_ERR(pin_event);
		goto err_stop;
	}
	return 0;

err_stop:
	kthread_stop(pin_thread);
	return ret;
}

void racetrap_perf_unpin(void)
{
	if (!pin_perf_hooks)
		return;
	perf_event_release_kernel(pin_event);
	kthread_stop(pin_thread);
}
