// SPDX-License-Identifier: GPL-2.0
/*
 * The attach permission: the caller proves it may ptrace-attach to the
 * target by handing over a descriptor of the target's /proc/PID/mem.
 *
 * ptrace_may_access() is not exported, and a rule rebuilt from exported
 * primitives misses Yama and the other LSMs and races with exec.  Opening
 * /proc/PID/mem runs the kernel's own check instead: proc_mem_open() calls
 * mm_access(task, PTRACE_MODE_ATTACH_FSCREDS), which takes the target's
 * exec_update_lock, gets its mm and asks ptrace_may_access() (credentials,
 * dumpability, every LSM's ptrace_access_check hook) about it; the file
 * keeps that mm in ->private_data, pinned with mmgrab().  So an open mem
 * file proves the right over exactly one mm, and an exec, which replaces
 * the mm, voids it.  The uapi header says why comparing the mm is enough.
 *
 * environ, auxv and pagemap keep an mm in ->private_data too, checked only
 * for PTRACE_MODE_READ: the name and the unsigned-offset mark, which only
 * mem_open() gives a procfs file, tell them apart.
 */
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm_types.h>
#include <linux/string.h>
#include "compat.h"
#include "perm.h"

/* The /proc/PID/mem file behind @fd, referenced; ERR_PTR(-EBADF/-EINVAL). */
struct file *racetrap_perm_get(int fd)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (file_inode(file)->i_sb->s_magic != PROC_SUPER_MAGIC ||
	    strcmp(file->f_path.dentry->d_name.name, "mem") ||
	    !racetrap_file_unsigned_offset(file)) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	return file;
}

/*
 * 0 if @mem_file's open checked @mm, else -EPERM.  @mm is held by the
 * caller and the file pins its own, so equal pointers are the same mm.
 */
int racetrap_perm_check(struct file *mem_file, struct mm_struct *mm)
{
	return mem_file->private_data == mm ? 0 : -EPERM;
}

void racetrap_perm_put(struct file *mem_file)
{
	fput(mem_file);
}
