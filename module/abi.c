// SPDX-License-Identifier: GPL-2.0
/*
 * Size-prefixed ioctl structs: every struct starts with the caller's
 * sizeof, so old binaries keep working on new kernels and new binaries get
 * a clear error on old ones (the clone_args / perf_event_attr scheme).
 */
#include <linux/mm.h>
#include <linux/uaccess.h>
#include "abi.h"

/*
 * Copy a struct in: a size below the oldest version accepted is EINVAL,
 * one above a page E2BIG (copy_struct_from_user() would scan the whole
 * tail for non-zero bytes, up to 4 GiB), a longer struct must have a zero
 * tail (else E2BIG), a short-but-valid one is zero-extended.
 */
int racetrap_struct_in(void *kbuf, size_t ksize, size_t minsize,
		       const void __user *uarg, u32 *usize)
{
	u32 size;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < minsize)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	*usize = size;
	return copy_struct_from_user(kbuf, ksize, uarg, size);
}

/* Copy a struct back out, never past what the caller said it has. */
int racetrap_struct_out(void __user *uarg, const void *kbuf, size_t ksize,
			u32 usize)
{
	if (copy_to_user(uarg, kbuf, min_t(size_t, ksize, usize)))
		return -EFAULT;
	return 0;
}
