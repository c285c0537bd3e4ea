// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/racetrap: open gives a tracer handle, ioctls configure and attach
 * it.  Every command goes through one table so the size, flag and errno
 * rules of uapi/linux/racetrap.h are enforced in one place.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/poll.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <uapi/linux/racetrap.h>
#include "abi.h"
#include "budget.h"
#include "device.h"
#include "pace.h"
#include "tracer.h"

union racetrap_ioc_buf {
	struct racetrap_version version;
	struct racetrap_attach attach;
	struct racetrap_detach detach;
	struct racetrap_sites sites;
	struct racetrap_config config;
	struct racetrap_stats stats;
};

struct racetrap_ioc {
	size_t ksize;
	size_t minsize;
	bool out;	/* the struct is copied back: it has outputs */
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
	v->features = RACETRAP_FEAT_SITE_SAMPLING |
		      RACETRAP_FEAT_CLOCK_SAMPLING | RACETRAP_FEAT_VALUE_CHANGE |
		      RACETRAP_FEAT_VALUE_FLAGS | RACETRAP_FEAT_USER_DUMP |
		      RACETRAP_FEAT_CLOCK_PERM | RACETRAP_FEAT_CTX_WORDS |
		      RACETRAP_FEAT_FUNC_START | RACETRAP_FEAT_WATCH_THREADS |
		      RACETRAP_FEAT_FUNC_TAIL | RACETRAP_FEAT_GO_YIELD;
	v->max_stack_depth = RACETRAP_MAX_STACK;
	v->max_sites = RACETRAP_MAX_SITES;
	return 0;
}

static int ioc_attach(struct file *file, void *arg)
{
	struct racetrap_tracer *t = file->private_data;
	struct racetrap_attach *a = arg;
	int ret;

	if (a->flags & ~__RACETRAP_ATTACH_F_ALL)
		return -EOPNOTSUPP;
	if (a->__reserved ||
	    (!(a->flags & RACETRAP_ATTACH_F_PERF_FD) && a->perf_fd))
		return -EINVAL;
	mutex_lock(&t->lock);
	ret = racetrap_tracer_attach(t, a);
	mutex_unlock(&t->lock);
	return ret;
}

static int ioc_detach(struct file *file, void *arg)
{
	struct racetrap_tracer *t = file->private_data;
	struct racetrap_detach *d = arg;
	int ret;

	if (d->flags)
		return -EOPNOTSUPP;
	mutex_lock(&t->lock);
	ret = racetrap_tracer_detach(t);
	mutex_unlock(&t->lock);
	return ret;
}

static int ioc_add_sites(struct file *file, void *arg)
{
	struct racetrap_tracer *t = file->private_data;
	int ret;

	mutex_lock(&t->lock);
	ret = racetrap_sites_add(t, arg);
	mutex_unlock(&t->lock);
	return ret;
}

static int ioc_config(struct file *file, void *arg)
{
	struct racetrap_tracer *t = file->private_data;
	int ret;

	mutex_lock(&t->lock);
	ret = racetrap_tracer_config(t, arg);
	mutex_unlock(&t->lock);
	return ret;
}

static int ioc_stats(struct file *file, void *arg)
{
	struct racetrap_tracer *t = file->private_data;
	struct racetrap_stats *s = arg;
	unsigned int i;

	if (s->flags)
		return -EOPNOTSUPP;
	if (s->__reserved)
		return -EINVAL;
	s->nr_counters = __RACETRAP_STAT_LAST;
	for (i = 0; i < __RACETRAP_STAT_LAST; i++)
		s->counters[i] = racetrap_count_read(&t->stats, i);
	s->counters[RACETRAP_STAT_THROTTLED_NS] =
		racetrap_budget_throttled_ns(t);
	s->counters[RACETRAP_STAT_CLOCK_PERIOD_US] = racetrap_clock_period_now(t);
	return 0;
}

static const struct racetrap_ioc racetrap_iocs[__RACETRAP_CMD_LAST] = {
	[RACETRAP_CMD_VERSION] = {
		.ksize = sizeof(struct racetrap_version),
		.minsize = RACETRAP_VERSION_SIZE_VER0,
		.out = true,
		.handler = ioc_version,
	},
	[RACETRAP_CMD_ATTACH] = {
		.ksize = sizeof(struct racetrap_attach),
		.minsize = RACETRAP_ATTACH_SIZE_VER1,
		.handler = ioc_attach,
	},
	[RACETRAP_CMD_DETACH] = {
		.ksize = sizeof(struct racetrap_detach),
		.minsize = RACETRAP_DETACH_SIZE_VER0,
		.handler = ioc_detach,
	},
	[RACETRAP_CMD_ADD_SITES] = {
		.ksize = sizeof(struct racetrap_sites),
		.minsize = RACETRAP_SITES_SIZE_VER0,
		.out = true,
		.handler = ioc_add_sites,
	},
	[RACETRAP_CMD_CONFIG] = {
		.ksize = sizeof(struct racetrap_config),
		.minsize = RACETRAP_CONFIG_SIZE_VER0,
		.out = true,
		.handler = ioc_config,
	},
	[RACETRAP_CMD_STATS] = {
		.ksize = sizeof(struct racetrap_stats),
		.minsize = RACETRAP_STATS_SIZE_VER0,
		.out = true,
		.handler = ioc_stats,
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
	/*
	 * A struct that cannot take the answer fails before the handler
	 * acts, not after it (a failed ioctl changes nothing): its own bytes
	 * are written back first.
	 */
	if (ioc->out && racetrap_struct_out(uarg, &buf, ioc->ksize, usize))
		return -EFAULT;
	ret = ioc->handler(file, &buf);
	if (ret < 0 || !ioc->out)
		return ret;
	return racetrap_struct_out(uarg, &buf, ioc->ksize, usize) ?: ret;
}

static int racetrap_open(struct inode *inode, struct file *file)
{
	struct racetrap_tracer *t = racetrap_tracer_create();

	if (!t)
		return -ENOMEM;
	file->private_data = t;
	return 0;
}

/* Last reference gone (close, or the daemon's exit): full teardown. */
static int racetrap_release(struct inode *inode, struct file *file)
{
	racetrap_tracer_destroy(file->private_data);
	return 0;
}

static ssize_t racetrap_read(struct file *file, char __user *buf, size_t len,
			     loff_t *ppos)
{
	struct racetrap_tracer *t = file->private_data;

	return racetrap_ring_read(&t->ring, buf, len,
				  file->f_flags & O_NONBLOCK);
}

static __poll_t racetrap_poll(struct file *file, poll_table *pt)
{
	struct racetrap_tracer *t = file->private_data;

	return racetrap_ring_poll(&t->ring, file, pt);
}

static const struct file_operations racetrap_fops = {
	.owner = THIS_MODULE,
	.open = racetrap_open,
	.release = racetrap_release,
	.read = racetrap_read,
	.poll = racetrap_poll,
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
