/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels racetrap supports (Debian's 6.1 and
 * 6.12) lives here, so the core never tests kernel versions.  Differences
 * are detected by feature (see Kbuild), not by version number.
 *
 * Uprobes changed in 6.12: uprobe_register() returns the struct uprobe *
 * (and takes a ref_ctr_offset), unregistering is split into a per-probe
 * uprobe_unregister_nosync() and one uprobe_unregister_sync() for a
 * batch, and the consumer's filter() lost its context argument.  In 6.12
 * a handler's UPROBE_HANDLER_REMOVE only takes effect if filter() then
 * returns false for the mm; on 6.1 it always does.
 *
 * The unsigned-offset mark of /proc/PID/mem moved from f_mode to the
 * file_operations' fop_flags in 6.12.
 */
#ifndef _RACETRAP_COMPAT_H
#define _RACETRAP_COMPAT_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/uprobes.h>

/* Kbuild defines RACETRAP_HAVE_UPROBE_NOSYNC from the kernel's uprobes.h. */
#ifdef RACETRAP_HAVE_UPROBE_NOSYNC

struct racetrap_uprobe {
	struct uprobe *uprobe;
};

#define RACETRAP_UPROBE_FILTER(name, uc, mm) \
	bool name(struct uprobe_consumer *uc, struct mm_struct *mm)

static inline int racetrap_uprobe_register(struct racetrap_uprobe *h,
					   struct inode *inode, loff_t off,
					   struct uprobe_consumer *uc)
{
	h->uprobe = uprobe_register(inode, off, 0, uc);
	return PTR_ERR_OR_ZERO(h->uprobe);
}

/* Stop new hits; call racetrap_uprobe_sync() before freeing @uc. */
static inline void racetrap_uprobe_unregister(struct racetrap_uprobe *h,
					      struct inode *inode, loff_t off,
					      struct uprobe_consumer *uc)
{
	uprobe_unregister_nosync(h->uprobe, uc);
}

static inline void racetrap_uprobe_sync(void)
{
	uprobe_unregister_sync();
}

#else

struct racetrap_uprobe {
};

#define RACETRAP_UPROBE_FILTER(name, uc, mm)				\
	bool name(struct uprobe_consumer *uc,				\
		  enum uprobe_filter_ctx ctx __always_unused,		\
		  struct mm_struct *mm)

static inline int racetrap_uprobe_register(struct racetrap_uprobe *h,
					   struct inode *inode, loff_t off,
					   struct uprobe_consumer *uc)
{
	return uprobe_register(inode, off, uc);
}

/* Waits for running handlers already (register_rwsem). */
static inline void racetrap_uprobe_unregister(struct racetrap_uprobe *h,
					      struct inode *inode, loff_t off,
					      struct uprobe_consumer *uc)
{
	uprobe_unregister(inode, off, uc);
}

static inline void racetrap_uprobe_sync(void)
{
}

#endif

/*
 * A thread that runs a probed instruction executes a copy of it in the
 * uprobes XOL area; a watchpoint trap there reports the copy's address.
 * Map it back to the original instruction's.  Same fields on 6.1 and 6.12.
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

/* Has @task set up its uprobe step of the instruction at @vaddr, not yet run? */
static inline bool racetrap_step_pending(struct task_struct *task,
					 unsigned long vaddr)
{
	struct uprobe_task *ut = task->utask;

	return ut && ut->state == UTASK_SSTEP && ut->vaddr == vaddr;
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

#endif /* _RACETRAP_COMPAT_H */
