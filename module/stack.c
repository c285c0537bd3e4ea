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
#include "value.h"

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

/*
 * For unwinding without frame pointers: the registers a DWARF unwinder
 * starts from and up to @len bytes of stack from regs->sp, page by page,
 * stopping at the first page that cannot be read (the end of the stack
 * mapping, or a page not present: faults are never taken, so a page of a
 * userfaultfd range cannot park the thread).  With @in_task (current's
 * own task context) only from the mapping that holds regs->sp, and only
 * if it is plain memory, not a device's (value.c).  In #DB the mappings
 * are not looked up: a trylock of mmap_lock there fails whenever a
 * writer holds or waits for it (another thread's mmap or munmap), and the
 * trapped side would lose its dump.
 * Returns the block's size (a multiple of 8).
 */
u32 racetrap_user_dump(const struct pt_regs *regs, struct racetrap_user_dump *d,
		       u32 len, u8 side, bool in_task)
{
	unsigned long sp = regs->sp, done = 0;

	memset(d, 0, sizeof(*d));
	d->side = side;
	d->nr_regs = RACETRAP_DUMP_NR_REGS;
	d->regs[RACETRAP_DUMP_RAX] = regs->ax;
	d->regs[RACETRAP_DUMP_RDX] = regs->dx;
	d->regs[RACETRAP_DUMP_RCX] = regs->cx;
	d->regs[RACETRAP_DUMP_RBX] = regs->bx;
	d->regs[RACETRAP_DUMP_RSI] = regs->si;
	d->regs[RACETRAP_DUMP_RDI] = regs->di;
	d->regs[RACETRAP_DUMP_RBP] = regs->bp;
	d->regs[RACETRAP_DUMP_RSP] = regs->sp;
	d->regs[RACETRAP_DUMP_R8] = regs->r8;
	d->regs[RACETRAP_DUMP_R9] = regs->r9;
	d->regs[RACETRAP_DUMP_R10] = regs->r10;
	d->regs[RACETRAP_DUMP_R11] = regs->r11;
	d->regs[RACETRAP_DUMP_R12] = regs->r12;
	d->regs[RACETRAP_DUMP_R13] = regs->r13;
	d->regs[RACETRAP_DUMP_R14] = regs->r14;
	d->regs[RACETRAP_DUMP_R15] = regs->r15;
	d->regs[RACETRAP_DUMP_RIP] = regs->ip;

	if (sp >= TASK_SIZE_MAX)
		len = 0;
	else
		len = min_t(unsigned long, len, TASK_SIZE_MAX - sp);
	if (in_task)
		done = racetrap_copy_plain(d->stack, sp, len, true);
	else
		done = racetrap_copy_nofault(d->stack, sp, len);
	d->stack_len = done;
	d->size = ALIGN(sizeof(*d) + done, 8);
	if (d->size > sizeof(*d) + done)
		memset(d->stack + done, 0, d->size - sizeof(*d) - done);
	return d->size;
}
