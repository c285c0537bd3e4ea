/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels racetrap supports (Debian's 6.1 and
 * 6.12) lives here, so the core never tests kernel versions.  Differences
 * are detected by feature (see Kbuild), not by version number.
 *
 * The unsigned-offset mark of /proc/PID/mem moved from f_mode to the
 * file_operations' fop_flags in 6.12.
 */
#ifndef _RACETRAP_COMPAT_H
#define _RACETRAP_COMPAT_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/uprobes.h>

/*
 * A thread that runs an instruction probed by a uprobe (another tool's:
 * perf probe, bpftrace) executes a copy of it in the uprobes XOL area; a
 * watchpoint trap there reports the copy's address.  Map it back to the
 * original instruction's.  Same fields on 6.1 and 6.12.
 */
static inline unsigned long racetrap_xol_fixup_ip(struct task_struct *task,
						  unsigned long ip)
{
	struct uprobe_task *ut = task->utask;

	if (ut && ut->state == UTASK_SSTEP && ip >= ut->xol_vaddr &&
	    ip <= ut->xol_vaddr + MAX_UINSN_BYTES)
		return ut->vaddr + (ip - ut->xol_vaddr);
	return ip;
}

/*
 * mem_open() marks /proc/PID/mem as taking unsigned offsets: in 6.12 with
 * FOP_UNSIGNED_OFFSET in its file_operations' fop_flags, in 6.1 with
 * FMODE_UNSIGNED_OFFSET in the open file's f_mode.  No other procfs file
 * has the mark.
 */
#ifdef FOP_UNSIGNED_OFFSET
static inline bool racetrap_file_unsigned_offset(const struct file *file)
{
	return file->f_op->fop_flags & FOP_UNSIGNED_OFFSET;
}
#else
static inline bool racetrap_file_unsigned_offset(const struct file *file)
{
	return file->f_mode & FMODE_UNSIGNED_OFFSET;
}
#endif

/*
 * Threads of a user process that never run its user code: io_uring's
 * workers, and since 6.4 the other user workers (vhost).
 */
#ifdef PF_USER_WORKER
#define RACETRAP_PF_NOT_USER	(PF_KTHREAD | PF_IO_WORKER | PF_USER_WORKER)
#else
#define RACETRAP_PF_NOT_USER	(PF_KTHREAD | PF_IO_WORKER)
#endif

#endif /* _RACETRAP_COMPAT_H */
