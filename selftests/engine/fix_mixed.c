// SPDX-License-Identifier: GPL-2.0
/*
 * A race on an atomic: thread "a" increments with a lock prefix, thread
 * "b" stores plainly.  Reported, with the locked side flagged.
 */
#include "fixture.h"

FIX_PAIR("lock addq $1, shared_word(%rip)", RACETRAP_ACCESS_RMW,
	 RACETRAP_SITE_F_LOCKED,
	 "movq %rax, shared_word(%rip)", RACETRAP_ACCESS_WRITE, 0, false)
