// SPDX-License-Identifier: GPL-2.0
/*
 * Most of the time in code without sites, the racy access just after it
 * returns, as a Go service spends its time in the runtime: threads "a"
 * and "b" loop over `call spin; addq $1, shared_word(%rip)`, where spin
 * (FIX_SPIN) lies after the loop, so no site follows it within the clock
 * trigger's reach.  A tick in spin finds a site only by looking at
 * spin's caller.
 */
#include "fixture.h"

asm(FIX_FN_START(aimup_loop)
    "1:\n"
    "	call aimup_spin\n"
    ".globl site_aimup\n"
    "site_aimup:\n"
    "	addq $1, shared_word(%rip)\n"
    ".globl site_aimup_end\n"
    "site_aimup_end:\n"
    "	jmp 1b\n"
    ".size aimup_loop, . - aimup_loop\n");
FIX_SPIN(aimup_spin);
void aimup_loop(void);
extern const char site_aimup[], site_aimup_end[];
FIX_THREAD(thread_a, aimup_loop)

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
