// SPDX-License-Identifier: GPL-2.0
/*
 * Threads that context-switch all the time and never run their site:
 * "a" and "b" bounce a byte over two pipes, so each sleeps and wakes
 * once per round trip, and site "cold" (a store to the shared word) is
 * in a function nobody calls.  A site breakpoint drawn there stays armed
 * in its thread until the rotation takes it out, while the thread
 * switches thousands of times (test_switches).  Two such sites, so that
 * each thread's two breakpoints have somewhere to go.
 */
#include "fixture.h"

FIX_ONCE(store_cold, site_cold, "movq %rdi, shared_word(%rip)");
FIX_ONCE(load_cold, site_cold2, "movq shared_word(%rip), %rax");

static int to_b[2], to_a[2];

static void bounce(int in, int out, bool first)
{
	char c = 'x';

	if (first && write(out, &c, 1) != 1)
		exit(1);
	for (;;)
		if (read(in, &c, 1) != 1 || write(out, &c, 1) != 1)
			exit(1);
}

static void *thread_a(void *arg)
{
	bounce(to_a[0], to_b[1], true);
	return arg;
}

static void *thread_b(void *arg)
{
	bounce(to_b[0], to_a[1], false);
	return arg;
}

static const struct fix_site sites[] = {
	{ "cold", site_cold, site_cold_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_WRITE, 0 },
	{ "cold2", site_cold2, site_cold2_end, RACETRAP_REG_RIP, &shared_word,
	  8, RACETRAP_ACCESS_READ, 0 },
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

	if (pipe(to_a) || pipe(to_b))
		return 1;
	return fixture_run(&fx);
}
