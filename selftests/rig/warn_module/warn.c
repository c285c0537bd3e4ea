// SPDX-License-Identifier: GPL-2.0
/*
 * warn.ko: a module whose only job is to WARN when loaded, so the rig
 * self-test can check that tools/vm/run fails a run on a kernel warning.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit warn_exit(void)
{
}

module_init(warn_init);
module_exit(warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test module for the racetrap VM rig: warns on load");
