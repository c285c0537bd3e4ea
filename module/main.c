// SPDX-License-Identifier: GPL-2.0
/* racetrap.ko: module init and exit only. */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include "births.h"
#include "device.h"
#include "limits.h"
#include "perf_pin.h"

static int __init racetrap_init(void)
{
	int ret;

	ret = racetrap_perf_pin();
	if (ret)
		return ret;
	racetrap_births_init();
	ret = racetrap_device_init();
	if (ret)
		goto err_births;
	pr_info("loaded\n");
	return 0;

err_births:
	racetrap_births_exit();
	racetrap_perf_unpin();
	return ret;
}

static void __exit racetrap_exit(void)
{
	racetrap_device_exit();
	racetrap_births_exit();
	racetrap_limits_exit();
	racetrap_perf_unpin();
	/*
	 * A task_work's last racetrap_leave() lets a teardown, and so this
	 * unload, finish while its thread may still be in the last
	 * instructions of the module's function (preempted there, or its
	 * vCPU paused).  Wait until every task has passed a voluntary
	 * switch or user mode, as ftrace does before it frees a trampoline.
	 */
	synchronize_rcu_tasks();
	pr_info("unloaded\n");
}

module_init(racetrap_init);
module_exit(racetrap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sampling data-race detector for running user processes");
MODULE_AUTHOR("The racetrap authors");
MODULE_VERSION(RACETRAP_VERSION);
