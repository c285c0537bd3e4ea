// SPDX-License-Identifier: GPL-2.0
/* No race: both threads only read shared_word. */
#include "fixture.h"

FIX_PAIR("movq shared_word(%rip), %rdx", RACETRAP_ACCESS_READ, 0,
	 "movq shared_word(%rip), %rdx", RACETRAP_ACCESS_READ, 0, false)
