// SPDX-License-Identifier: GPL-2.0
/*
 * Walk the user stack through the saved frame pointers: [rbp] holds the
 * caller's rbp, [rbp + 8] the return address.  copy_from_user_nofault()
 * never sleeps, so this works in #DB and hrtimer context.
 *
 * %rbp is an ordinary register in code built without frame pointers
 * (gcc -O2 -fomit-frame-pointer, hand-written assembly), so the walk can
 * start from, or reach, a register holding data; it would then print
 * whatever that data is as frames ("0x1").  Every frame is checked
 * before it is believed, and the walk ends at the first that cannot be
 * right:
 *  - its frame pointer is not 8-byte aligned, lies below the stack
 *    pointer (the stack grows down: every live frame is above it), is
 *    not strictly above the previous frame's, or is more than
 *    RACETRAP_STACK_SPAN above the stack pointer (beyond any thread
 *    stack racetrap expects; the mapping itself cannot be looked up
 *    here: #DB and hrtimer context may not take mmap_lock);
 *  - its return address is not a user address above the first page.
 * Whether a return address lies in an executable mapping of the process
 * is checked by userspace, which knows the mappings (symbolize.c).
 */
#include <linux/ptrace.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include "stack.h"

#define RACETRAP_STACK_SPAN	SZ_8M

static bool frame_pointer_ok(unsigned long fp, unsigned long prev,
			     unsigned long sp)
{
	return !(fp & 7) && fp > prev && fp >= sp &&
	       fp - sp < RACETRAP_STACK_SPAN &&
	       fp <= TASK_SIZE_MAX - 2 * sizeof(unsigned long);
}

unsigned int racetrap_user_stack(const struct pt_regs *regs, u64 *out,
				 unsigned int depth)
{
	unsigned long sp = regs->sp, fp = regs->bp, prev = 0;
	unsigned long frame[2];
	unsigned int n = 0;

	if (!depth)
		return 0;
	out[n++] = regs->ip;
	while (n < depth && frame_pointer_ok(fp, prev, sp)) {
		if (copy_from_user_nofault(frame, (const void __user *)fp,
					   sizeof(frame)))
			break;
		if (frame[1] < PAGE_SIZE || frame[1] >= TASK_SIZE_MAX)
			break;
		out[n++] = frame[1];
		prev = fp;
		fp = frame[0];
	}
	return n;
}
