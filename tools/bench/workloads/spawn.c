// SPDX-License-Identifier: GPL-2.0
/*
 * spawn: thread creation heavy.  N spawner threads (default 2) each
 * create a batch of 4 short-lived threads, which bump a shared counter
 * under a lock and exit, join them, and start again.  Reports threads
 * created per second.
 *
 *   spawn [-t SECONDS] [-n SPAWNERS] [-s]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "common.h"

#define BATCH 4
#define CHILD_ROUNDS 256

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t done;

static void *child(void *arg)
{
	uint64_t x = (uintptr_t)arg | 1;

	for (int i = 0; i < CHILD_ROUNDS; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	pthread_mutex_lock(&done_lock);
	done += x & 1;
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

struct spawner {
	pthread_t thread;
	volatile uint64_t *created;
};

static void *spawn(void *arg)
{
	struct spawner *s = arg;
	pthread_t kids[BATCH];
	uintptr_t n = 0;
	int phase;

	bench_worker();
	while ((phase = bench_phase()) != BENCH_STOP) {
		int made = 0;

		for (int i = 0; i < BATCH; i++)
			if (!pthread_create(&kids[made], NULL, child, (void *)++n))
				made++;
		for (int i = 0; i < made; i++)
			pthread_join(kids[i], NULL);
		if (phase == BENCH_MEASURE)
			*s->created += made;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct spawner *s;
	double seconds, created;

	bench_parse(argc, argv, &o, 2);
	bench_block_start_signal();
	bench_expect_workers(o.threads);
	bench_counters(&o, o.threads);
	s = bench_xmalloc(o.threads * sizeof(*s));
	for (int i = 0; i < o.threads; i++) {
		s[i].created = bench_counter(i);
		if (pthread_create(&s[i].thread, NULL, spawn, &s[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	seconds = bench_measure(&o);
	for (int i = 0; i < o.threads; i++)
		pthread_join(s[i].thread, NULL);
	created = bench_counters_sum();
	bench_report(created, seconds, "threads/s");
	free(s);
	return 0;
}
