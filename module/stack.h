/* SPDX-License-Identifier: GPL-2.0 */
/* User stacks by frame-pointer walk, safe in any context. */
#ifndef _RACETRAP_STACK_H
#define _RACETRAP_STACK_H

#include <linux/types.h>

struct pt_regs;

unsigned int racetrap_user_stack(const struct pt_regs *regs, u64 *out,
				 unsigned int depth);

#endif /* _RACETRAP_STACK_H */
