// SPDX-License-Identifier: GPL-2.0
/*
 * threads256: a process with many threads (default 256), each mostly
 * doing small updates to shared counters under one of 16 locks, with a
 * little private work between them.  Reports operations per second.
 *
 *   threads256 [-t SECONDS] [-n THREADS] [-a ACTIVE] [-s]
 *
 * With -a, only ACTIVE threads work and the others wait, as the idle
 * threads of a service's pool do (the bench's cost per window, where the
 * thread count must not also be the run queue's length).
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "common.h"

#define NR_LOCKS 16
#define PRIVATE_ROUNDS 64

struct shard {
	pthread_mutex_t lock;
	uint64_t count;
	uint64_t sum;
} __attribute__((aligned(64)));

static struct shard shards[NR_LOCKS];
/*
 * Workers start together once all exist: creating the 256th thread while
 * 255 spin makes start-up crawl under TSan and Helgrind.
 */
static pthread_barrier_t started;

struct worker {
	pthread_t thread;
	int id;
	int waits;		/* beyond -a: waits for the end */
	volatile uint64_t *ops;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct shard *s = &shards[w->id % NR_LOCKS];
	uint64_t x = (uint64_t)w->id * 2654435761u + 1;
	int phase;

	bench_worker();
	pthread_barrier_wait(&started);
	/* The phase changes by signal, which ends a poll() early. */
	while (w->waits && bench_phase() != BENCH_STOP)
		poll(NULL, 0, 100);
	while ((phase = bench_phase()) != BENCH_STOP) {
		for (int i = 0; i < PRIVATE_ROUNDS; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		pthread_mutex_lock(&s->lock);
		s->count++;
		s->sum += x >> 32;
		pthread_mutex_unlock(&s->lock);
		if (phase == BENCH_MEASURE)
			(*w->ops)++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct worker *w;
	double seconds, ops;

	bench_parse(argc, argv, &o, 256);
	for (int i = 0; i < NR_LOCKS; i++)
		pthread_mutex_init(&shards[i].lock, NULL);
	bench_block_start_signal();
	bench_expect_workers(o.threads);
	bench_counters(&o, o.threads);
	pthread_barrier_init(&started, NULL, o.threads + 1);
	w = bench_xmalloc(o.threads * sizeof(*w));
	for (int i = 0; i < o.threads; i++) {
		w[i].ops = bench_counter(i);
		w[i].id = i;
		w[i].waits = i >= o.active;
		if (pthread_create(&w[i].thread, NULL, work, &w[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	pthread_barrier_wait(&started);
	seconds = bench_measure(&o);
	for (int i = 0; i < o.threads; i++)
		pthread_join(w[i].thread, NULL);
	ops = bench_counters_sum();
	bench_report(ops, seconds, "ops/s");
	free(w);
	return 0;
}
