/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User stacks: a frame-pointer walk, and the registers and stack slice
 * userspace unwinds from its CFI.
 */
#ifndef _RACETRAP_STACK_H
#define _RACETRAP_STACK_H

#include <linux/types.h>
#include <uapi/linux/racetrap.h>

struct pt_regs;

unsigned int racetrap_user_stack(const struct pt_regs *regs, u64 *out,
				 unsigned int depth);
u32 racetrap_user_dump(const struct pt_regs *regs, struct racetrap_user_dump *d,
		       u32 len, u8 side, bool in_task);

#endif /* _RACETRAP_STACK_H */
