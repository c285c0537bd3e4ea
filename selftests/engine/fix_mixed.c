// SPDX-License-Identifier: GPL-2.0
/*
 * A race on an atomic: thread "a" increments with a lock prefix, thread
 * "b" stores plainly.  Reported, with the locked side flagged.
 */
#include "fixture.h"

FIX_LOOP(loop_a, site_a, "lock addq $1, shared_word(%rip)");
FIX_LOOP(loop_b, site_b, "movq %rax, shared_word(%rip)");

static void *thread_a(void *arg)
{
	loop_a();
	return arg;
}

static void *thread_b(void *arg)
{
	loop_b();
	return arg;
}

static const struct fix_site sites[] = {
	{ "a", site_a, site_a_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_RMW, RACETRAP_SITE_F_LOCKED },
	{ "b", site_b, site_b_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_WRITE, 0 },
	{ NULL },
};

static const struct fix_thread threads[] = {
	{ "a", thread_a, false },
	{ "b", thread_b, false },
	{ NULL },
};

int main(void)
{
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
