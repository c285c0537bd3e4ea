// SPDX-License-Identifier: GPL-2.0
/*
 * The racy access before the call where the time goes, as a request
 * handler makes its own accesses once, between calls into the runtime:
 * threads "a" and "b" loop over `addq $1, shared_word(%rip); call spin`,
 * then 80 bytes of nops and the jump back (a short one: the function ends
 * 87 bytes after the site).  No site follows the call within the clock
 * trigger's reach, and spin (FIX_SPIN) has none: a tick in spin finds a
 * site only in its caller's function, before the return address.
 */
#include "fixture.h"

asm(FIX_FN_START(aimback_loop)
    "1:\n"
    ".globl site_aimback\n"
    "site_aimback:\n"
    "	addq $1, shared_word(%rip)\n"
    ".globl site_aimback_end\n"
    "site_aimback_end:\n"
    "	call aimback_spin\n"
    "	.fill 80, 1, 0x90\n"
    "	jmp 1b\n"
    ".size aimback_loop, . - aimback_loop\n");
FIX_SPIN(aimback_spin);
void aimback_loop(void);
extern const char site_aimback[], site_aimback_end[];
FIX_THREAD(thread_a, aimback_loop)

int main(void)
{
	static const struct fix_site sites[] = {
		{ "aimback", site_aimback, site_aimback_end, RACETRAP_REG_RIP,
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
