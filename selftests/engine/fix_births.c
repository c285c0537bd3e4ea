// SPDX-License-Identifier: GPL-2.0
/*
 * A thread per request: thread "d" starts a worker, waits for it to end,
 * and starts the next, forever.  Each worker loads the shared word (site
 * "r") for about 5 ms and exits; thread "w" stores it forever (site "w").
 * Almost every worker is born after the tracer attached, between two
 * site rotations (test_births).
 */
#include <time.h>
#include "fixture.h"

#define WORKER_NS	5000000L

FIX_LOOP(loop_w, site_w, "movq %rax, shared_word(%rip)");
FIX_ONCE(load_once, site_r, "movq shared_word(%rip), %rax");

FIX_THREAD(thread_w, loop_w)

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *worker(void *unused)
{
	long start = now_ns();
	uint64_t sum = 0;
	int i;

	do {
		for (i = 0; i < 1000; i++)
			sum += load_once(0);
	} while (now_ns() - start < WORKER_NS);
	(void)unused;
	return (void *)(uintptr_t)(sum & 1);
}

static void *thread_d(void *arg)
{
	pthread_t th;

	for (;;) {
		if (pthread_create(&th, NULL, worker, NULL)) {
			fprintf(stderr, "fix_births: pthread_create failed\n");
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
	{ "w", thread_w, false },
	{ "d", thread_d, false },
	{ NULL },
};

int main(void)
{
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
