// SPDX-License-Identifier: GPL-2.0
/*
 * Most of the time in code without sites, the racy access just after it
 * returns, as a Go service spends its time in the runtime: threads "a"
 * and "b" loop over `call spin; addq $1, shared_word(%rip)`, where spin
 * (with a frame pointer, as Go's functions have) counts down without
 * touching memory and lies after the loop, so no site follows it within
 * the clock trigger's reach.  A tick in spin finds a site only by
 * looking at spin's caller.
 */
#include "fixture.h"

asm(".text\n"
    ".globl aimup_loop\n"
    ".type aimup_loop, @function\n"
    "aimup_loop:\n"
    "	push %rbp\n"
    "	mov %rsp, %rbp\n"
    "1:\n"
    "	call aimup_spin\n"
    ".globl site_aimup\n"
    "site_aimup:\n"
    "	addq $1, shared_word(%rip)\n"
    ".globl site_aimup_end\n"
    "site_aimup_end:\n"
    "	jmp 1b\n"
    ".size aimup_loop, . - aimup_loop\n"
    ".p2align 7\n"
    ".skip 128\n"
    ".globl aimup_spin\n"
    ".type aimup_spin, @function\n"
    "aimup_spin:\n"
    "	push %rbp\n"
    "	mov %rsp, %rbp\n"
    "	mov $20000, %ecx\n"
    "2:\n"
    "	dec %ecx\n"
    "	jnz 2b\n"
    "	pop %rbp\n"
    "	ret\n"
    ".size aimup_spin, . - aimup_spin\n");
void aimup_loop(void);
extern const char site_aimup[], site_aimup_end[];

static void *thread_a(void *arg)
{
	aimup_loop();
	return arg;
}

int main(void)
{
	static const struct fix_site sites[] = {
		{ "aimup", site_aimup, site_aimup_end, RACETRAP_REG_RIP,
		  &shared_word, 8, RACETRAP_ACCESS_RMW, 0 },
		{ NULL },
	};
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_a, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
