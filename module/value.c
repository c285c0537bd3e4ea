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
 *    that is not present reads as unknown instead of being faulted in.
 *
 * Task context of the sampled thread (it may sleep on mmap_lock); the
 * lock keeps the mapping from changing between the check and the read.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/userfaultfd_k.h>
#include "value.h"

/* @len is 1, 2, 4 or 8 and @addr aligned to it: one page, one mapping. */
bool racetrap_value_read(unsigned long addr, unsigned int len, u64 *val)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	bool ok = false;

	*val = 0;
	if (!mm)
		return false;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && addr + len <= vma->vm_end &&
	    (vma->vm_flags & VM_READ) &&
	    !(vma->vm_flags & (VM_IO | VM_PFNMAP)) && !userfaultfd_armed(vma))
		ok = !copy_from_user_nofault(val, (const void __user *)addr,
					     len);
	mmap_read_unlock(mm);
	if (!ok)
		*val = 0;
	return ok;
}
