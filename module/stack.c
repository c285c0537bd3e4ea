// SPDX-License-Identifier: GPL-2.0
/*
 * Walk the user stack through the saved frame pointers: [rbp] holds the
 * caller's rbp, [rbp + 8] the return address.  copy_from_user_nofault()
 * never sleeps, so this works in #DB and hrtimer context; a fault or a
 * frame pointer that does not move up the stack ends the walk, so a
 * binary built without frame pointers yields a short (not a wrong-length)
 * stack.
 */
#include <linux/ptrace.h>
#include <linux/uaccess.h>
#include "stack.h"

unsigned int racetrap_user_stack(const struct pt_regs *regs, u64 *out,
				 unsigned int depth)
{
	unsigned long fp = regs->bp;
	unsigned long frame[2];
	unsigned int n = 0;

	if (!depth)
		return 0;
	out[n++] = regs->ip;
	while (n < depth) {
		if (!fp || (fp & 7) || fp > TASK_SIZE_MAX - sizeof(frame))
			break;
		if (copy_from_user_nofault(frame, (const void __user *)fp,
					   sizeof(frame)))
			break;
		if (!frame[1])
			break;
		out[n++] = frame[1];
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	return n;
}
