// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/racetrap: open gives a tracer handle, ioctls configure and attach
 * it.  Every command goes through one table so the size, flag and errno
 * rules of uapi/linux/racetrap.h are enforced in one place.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <uapi/linux/racetrap.h>
#include "abi.h"
#include "device.h"

union racetrap_ioc_buf {
	struct racetrap_version version;
};

struct racetrap_ioc {
	size_t ksize;
	size_t minsize;
	int (*handler)(struct file *file, void *arg);
};

static int ioc_version(struct file *file, void *arg)
{
	struct racetrap_version *v = arg;

	if (v->flags)
		return -EOPNOTSUPP;
	if (v->__reserved)
		return -EINVAL;
	v->abi_version = RACETRAP_ABI_VERSION;
	v->record_size = sizeof(struct racetrap_record);
	v->features = 0;
	v->max_stack_depth = RACETRAP_MAX_STACK;
	v->max_sites = RACETRAP_MAX_SITES;
	return 0;
}


static const struct racetrap_ioc racetrap_iocs[__RACETRAP_CMD_LAST] = {
	[RACETRAP_CMD_VERSION] = {
		.ksize = sizeof(struct racetrap_version),
		.minsize = RACETRAP_VERSION_SIZE_VER0,
		.handler = ioc_version,
	},
};

static long racetrap_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct racetrap_ioc *ioc;
	union racetrap_ioc_buf buf;
	unsigned int nr = _IOC_NR(cmd);
	u32 usize;
	int ret;

	if (cmd != _IO(RACETRAP_TYPE, nr) || nr >= ARRAY_SIZE(racetrap_iocs))
		return -ENOTTY;
	ioc = &racetrap_iocs[nr];
	if (!ioc->handler)
		return -ENOTTY;

	ret = racetrap_struct_in(&buf, ioc->ksize, ioc->minsize, uarg, &usize);
	if (ret)
		return ret;
	ret = ioc->handler(file, &buf);
	if (ret < 0)
		return ret;
	return racetrap_struct_out(uarg, &buf, ioc->ksize, usize) ?: ret;
}

static const struct file_operations racetrap_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = racetrap_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice racetrap_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "racetrap",
	.fops = &racetrap_fops,
	.mode = 0600,
};

int racetrap_device_init(void)
{
	return misc_register(&racetrap_misc);
}

void racetrap_device_exit(void)
{
	misc_deregister(&racetrap_misc);
}
