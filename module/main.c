// SPDX-License-Identifier: GPL-2.0
/* racetrap.ko: module init and exit only. */
#include <linux/module.h>
#include "device.h"

static int __init racetrap_init(void)
{
	int ret;

	ret = racetrap_device_init();
	if (ret)
		return ret;
	pr_info("loaded\n");
	return 0;
}

static void __exit racetrap_exit(void)
{
	racetrap_device_exit();
	pr_info("unloaded\n");
}

module_init(racetrap_init);
module_exit(racetrap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sampling data-race detector for running user processes");
MODULE_AUTHOR("The racetrap authors");
