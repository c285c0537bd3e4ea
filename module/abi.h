/* SPDX-License-Identifier: GPL-2.0 */
/* Copying size-prefixed ioctl structs in and out, by the uapi rules. */
#ifndef _RACETRAP_ABI_H
#define _RACETRAP_ABI_H

#include <linux/types.h>

int racetrap_struct_in(void *kbuf, size_t ksize, size_t minsize,
		       const void __user *uarg, u32 *usize);
int racetrap_struct_out(void __user *uarg, const void *kbuf, size_t ksize,
			u32 usize);

#endif /* _RACETRAP_ABI_H */
