// SPDX-License-Identifier: GPL-2.0
/*
 * No race: both threads increment shared_word with lock-prefixed adds.
 * Watchpoints trap, but both sides are locked: never a report.
 */
#include "fixture.h"

FIX_PAIR("lock addq $1, shared_word(%rip)", RACETRAP_ACCESS_RMW,
	 RACETRAP_SITE_F_LOCKED,
	 "lock addq $1, shared_word(%rip)", RACETRAP_ACCESS_RMW,
	 RACETRAP_SITE_F_LOCKED, false)
