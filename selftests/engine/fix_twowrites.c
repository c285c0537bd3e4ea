// SPDX-License-Identifier: GPL-2.0
/*
 * One word, one reader, two writes in a row: thread "r" loads the word
 * forever; thread "w" stores it (site "w1"), sleeps 20 ms, stores it
 * again (site "w2"), sleeps 60 ms, and so on.  A window on the load that
 * sees the first store and closes there never sees the second; one that
 * stays open past a pair already reported sees both (test_pairs).
 */
#include <time.h>
#include "fixture.h"

FIX_LOOP(loop_r, site_r, "movq shared_word(%rip), %rcx");

FIX_ONCE(store_first, site_w1, "movq %rdi, shared_word(%rip)");
FIX_ONCE(store_second, site_w2, "movq %rdi, shared_word(%rip)");

static void sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts))
		;
}

FIX_THREAD(thread_r, loop_r)

static void *thread_w(void *arg)
{
	uint64_t n;

	for (n = 1;; n += 2) {
		store_first(n);
		sleep_ms(20);
		store_second(n + 1);
		sleep_ms(60);
	}
	return arg;
}

static const struct fix_site sites[] = {
	{ "r", site_r, site_r_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_READ, 0 },
	{ "w1", site_w1, site_w1_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_WRITE, 0 },
	{ "w2", site_w2, site_w2_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_WRITE, 0 },
	{ NULL },
};

static const struct fix_thread threads[] = {
	{ "r", thread_r, false },
	{ "w", thread_w, false },
	{ NULL },
};

int main(void)
{
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
