// SPDX-License-Identifier: GPL-2.0
/*
 * The same data race as fix_racy, but thread "b" starts only on the "go"
 * command, that is after the tracer attached: new threads are watched.
 */
#include "fixture.h"

FIX_LOOP(loop_a, site_a, "movq %rax, shared_word(%rip)");
FIX_LOOP(loop_b, site_b, "addq $1, shared_word(%rip)");

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
	  RACETRAP_ACCESS_WRITE, 0 },
	{ "b", site_b, site_b_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_RMW, 0 },
	{ NULL },
};

static const struct fix_thread threads[] = {
	{ "a", thread_a, false },
	{ "b", thread_b, true },
	{ NULL },
};

int main(void)
{
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
