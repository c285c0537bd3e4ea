// SPDX-License-Identifier: GPL-2.0
/*
 * The values a record shows must be what the program stored, or say
 * "unknown": never a zero standing in for a read that failed.  And the
 * read must have no effect of its own on the target:
 *
 *  - no device memory: a VM_IO or VM_PFNMAP mapping may be MMIO, where a
 *    read is a command to the device;
 *  - no userfaultfd range: a missing page there would park the sampled
 *    thread on the userfaultfd monitor, with the watchpoints armed, for
 *    as long as the monitor likes (it may even be the thread we hold);
 *  - no fault at all: the read runs with page faults disabled, so a page
 *    that is not present reads as unknown instead of being faulted in;
 *  - no memfd_secret() memory: neither ptrace nor /proc/PID/mem reads it,
 *    so a record must not carry it either.
 *
 * Task context of the sampled thread (it may sleep on mmap_lock); the
 * lock keeps the mapping from changing between the check and the read.
 */
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/userfaultfd_k.h>
#include "value.h"

/* vma_is_secretmem(), which modules cannot call. */
static bool secret_memory(struct vm_area_struct *vma)
{
	return vma->vm_file &&
	       file_inode(vma->vm_file)->i_sb->s_magic == SECRETMEM_MAGIC;
}

/* Readable, and read without effect on the target (see above). */
static bool plain_memory(struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_READ) &&
	       !(vma->vm_flags & (VM_IO | VM_PFNMAP)) &&
	       !userfaultfd_armed(vma) && !secret_memory(vma);
}

/*
 * Copy up to @len bytes from user @addr, page by page, with page faults
 * disabled; stops at the first page that cannot be read.  Any context.
 * Returns the bytes copied.
 */
size_t racetrap_copy_nofault(void *dst, unsigned long addr, size_t len)
{
	size_t done = 0;

	while (done < len) {
		unsigned long at = addr + done;
		size_t chunk = min_t(size_t, len - done,
				     PAGE_SIZE - offset_in_page(at));

		if (copy_from_user_nofault(dst + done, (const void __user *)at,
					   chunk))
			break;
		done += chunk;
	}
	return done;
}

/*
 * Take current's mmap_lock for reading, as the readers below need it:
 * with @may_sleep (task context) by waiting for it, else (#DB) only if no
 * writer holds it.  False when it was not taken.  Current must be a
 * thread of the target.
 */
bool racetrap_mm_read_lock(bool may_sleep)
{
	struct mm_struct *mm = current->mm;

	if (!mm)
		return false;
	if (may_sleep)
		mmap_read_lock(mm);
	else if (!mmap_read_trylock(mm))
		return false;
	return true;
}

void racetrap_mm_read_unlock(void)
{
	mmap_read_unlock(current->mm);
}

/*
 * As racetrap_copy_nofault(), but only from the one mapping that holds
 * @addr, and only if it is plain memory.  Under racetrap_mm_read_lock(),
 * which keeps the mapping from changing between the check and the copy.
 */
size_t racetrap_copy_plain_locked(void *dst, unsigned long addr, size_t len)
{
	struct vm_area_struct *vma;

	mmap_assert_locked(current->mm);
	vma = find_vma(current->mm, addr);
	if (!vma || vma->vm_start > addr || !plain_memory(vma))
		return 0;
	return racetrap_copy_nofault(dst, addr,
				     min_t(size_t, len, vma->vm_end - addr));
}

/* racetrap_copy_plain_locked() under a lock of its own. */
size_t racetrap_copy_plain(void *dst, unsigned long addr, size_t len,
			   bool may_sleep)
{
	size_t done;

	if (!racetrap_mm_read_lock(may_sleep))
		return 0;
	done = racetrap_copy_plain_locked(dst, addr, len);
	racetrap_mm_read_unlock();
	return done;
}

/* @len is 1, 2, 4 or 8 and @addr aligned to it: one page, one mapping. */
bool racetrap_value_read(unsigned long addr, unsigned int len, u64 *val)
{
	*val = 0;
	if (racetrap_copy_plain(val, addr, len, true) == len)
		return true;
	*val = 0;
	return false;
}
