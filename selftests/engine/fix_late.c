// SPDX-License-Identifier: GPL-2.0
/*
 * The same data race as fix_racy, but thread "b" starts only on the "go"
 * command, that is after the tracer attached: new threads are watched.
 */
#include "fixture.h"

FIX_PAIR("movq %rax, shared_word(%rip)", RACETRAP_ACCESS_WRITE, 0,
	 "addq $1, shared_word(%rip)", RACETRAP_ACCESS_RMW, 0, true)
