// SPDX-License-Identifier: GPL-2.0
/*
 * Aims a thread never reaches.  Thread "a" loops over a load of
 * shared_word behind a branch never taken to a second load ("cold"): a
 * clock tick at the loop head (not a site) aims at one of the two loads,
 * and half the time at the one that never runs.  Thread "b" stores to
 * shared_word in a loop of its own.
 */
#include "fixture.h"

asm(".text\n"
    ".globl loop_a\n"
    ".type loop_a, @function\n"
    "loop_a:\n"
    "	push %rbp\n"
    "	mov %rsp, %rbp\n"
    "	xor %eax, %eax\n"
    "1:	add $1, %rax\n"
    "	js 2f\n"
    ".globl site_hot\n"
    "site_hot:\n"
    "	movq shared_word(%rip), %rdx\n"
    ".globl site_hot_end\n"
    "site_hot_end:\n"
    "	jmp 1b\n"
    "2:\n"
    ".globl site_cold\n"
    "site_cold:\n"
    "	movq shared_word(%rip), %rcx\n"
    ".globl site_cold_end\n"
    "site_cold_end:\n"
    "	jmp 1b\n");
extern const char site_hot[], site_hot_end[], site_cold[], site_cold_end[];
void loop_a(void);

FIX_LOOP(loop_b, site_b, "movq %rax, shared_word(%rip)");

FIX_THREAD(thread_a, loop_a)
FIX_THREAD(thread_b, loop_b)

int main(void)
{
	const struct fix_site sites[] = {
		{ "hot", site_hot, site_hot_end, RACETRAP_REG_RIP,
		  &shared_word, 8, RACETRAP_ACCESS_READ, 0 },
		{ "cold", site_cold, site_cold_end, RACETRAP_REG_RIP,
		  &shared_word, 8, RACETRAP_ACCESS_READ, 0 },
		{ "b", site_b, site_b_end, RACETRAP_REG_RIP, &shared_word,
		  8, RACETRAP_ACCESS_WRITE, 0 },
		{ NULL },
	};
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_b, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, false };

	return fixture_run(&fx);
}
