// SPDX-License-Identifier: GPL-2.0
/*
 * The clock trigger's permission: perf's.  Clock sampling reads where the
 * target's threads spend their user CPU time, what a perf cpu-clock event
 * on the target gives; the module's own events are kernel counters, which
 * bypass perf_event_paranoid and the LSMs' perf hooks.  So the caller must
 * be one who could open such an event itself: one with CAP_PERFMON (or
 * CAP_SYS_ADMIN), which perf lets past perf_event_paranoid, or one that
 * shows a perf event it opened.  sysctl_perf_event_paranoid is not
 * exported; the event is proof the way the mem file is for ATTACH:
 * perf_event_open() checked paranoid, the ptrace read right on the task
 * and security_perf_event_open() when it was opened.
 *
 * The proof must be an event on one of the target's threads, or a
 * CPU-wide event (which paranoid allows to fewer callers than per-task
 * ones).  Any event type and exclude_* setting will do: a user-mode
 * software event is the weakest there is.
 */
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include "perm.h"

/* Only perf names an anonymous inode file so. */
static bool is_perf_file(const struct file *file)
{
	return file_inode(file)->i_sb->s_magic == ANON_INODE_FS_MAGIC &&
	       !strcmp(file->f_path.dentry->d_name.name, "[perf_event]");
}

/*
 * 0 if the caller may sample @task with the clock trigger, shown by
 * @perf_fd (when @has_fd) or its capabilities; -EBADF, -EINVAL (not a
 * perf event), -EPERM (an event on another process) or -EACCES.
 */
int racetrap_perm_clock(struct task_struct *task, bool has_fd, int perf_fd)
{
	const struct perf_event *event;
	struct file *file;
	int ret = 0;

	if (!has_fd)
		return perfmon_capable() ? 0 : -EACCES;
	file = fget(perf_fd);
	if (!file)
		return -EBADF;
	if (!is_perf_file(file)) {
		ret = -EINVAL;
		goto out;
	}
	event = file->private_data;
	if (event->hw.target ? !same_thread_group(event->hw.target, task) :
	    event->cpu < 0)
		ret = -EPERM;
out:
	fput(file);
	return ret;
}
