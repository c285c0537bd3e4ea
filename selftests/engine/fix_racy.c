// SPDX-License-Identifier: GPL-2.0
/*
 * A data race: thread "a" stores to shared_word, thread "b" increments it
 * (read-modify-write), both without a lock, forever.
 */
#include "fixture.h"

FIX_PAIR("movq %rax, shared_word(%rip)", RACETRAP_ACCESS_WRITE, 0,
	 "addq $1, shared_word(%rip)", RACETRAP_ACCESS_RMW, 0, false)
