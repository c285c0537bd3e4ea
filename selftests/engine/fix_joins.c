// SPDX-License-Identifier: GPL-2.0
/*
 * A thread started while a window is open: thread "r" loads the shared
 * word over and over (site "r") and counts its loads; thread "s" polls
 * that count and, when it has stood still for STALL_NS (thread "r" held
 * in a window, most likely), starts a writer thread that stores the word
 * once (site "w") and exits.  So every writer is born after the window
 * it can trap in armed its threads (test_joins).
 */
#include <stdatomic.h>
#include <time.h>
#include "fixture.h"

#define STALL_NS	1000000L
#define POLL_NS		200000L

FIX_ONCE(load_once, site_r, "movq shared_word(%rip), %rax");
FIX_ONCE(store_once, site_w, "movq %rdi, shared_word(%rip)");

static atomic_ulong loads;

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *thread_r(void *arg)
{
	for (;;) {
		load_once(0);
		atomic_fetch_add_explicit(&loads, 1, memory_order_relaxed);
	}
	return arg;
}

static void *writer(void *arg)
{
	store_once((uint64_t)(uintptr_t)arg);
	return NULL;
}

static void *thread_s(void *arg)
{
	const struct timespec poll = { 0, POLL_NS };
	unsigned long seen = 0, n, spawned_at = 0;
	long still_since = now_ns();
	pthread_t th;

	for (;;) {
		nanosleep(&poll, NULL);
		n = atomic_load_explicit(&loads, memory_order_relaxed);
		if (n != seen) {
			seen = n;
			still_since = now_ns();
			continue;
		}
		/* One writer per stall. */
		if (n == spawned_at || now_ns() - still_since < STALL_NS)
			continue;
		spawned_at = n;
		if (pthread_create(&th, NULL, writer, (void *)(uintptr_t)n)) {
			fprintf(stderr, "fix_joins: pthread_create failed\n");
			exit(1);
		}
		pthread_join(th, NULL);
	}
	return arg;
}

static const struct fix_site sites[] = {
	{ "r", site_r, site_r_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_READ, 0 },
	{ "w", site_w, site_w_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_WRITE, 0 },
	{ NULL },
};

static const struct fix_thread threads[] = {
	{ "r", thread_r, false },
	{ "s", thread_s, false },
	{ NULL },
};

int main(void)
{
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
