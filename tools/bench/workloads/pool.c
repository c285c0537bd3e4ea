// SPDX-License-Identifier: GPL-2.0
/*
 * pool: the common server shape.  N long-lived threads (default 4) each
 * do CPU work on their own heap buffer, then fold the result into a table
 * every thread shares, under one mutex.  Reports operations per second.
 *
 *   pool [-t SECONDS] [-n THREADS] [-s]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "common.h"

#define TABLE_WORDS 64
#define BUF_WORDS 512	/* 4 KiB of private data per thread */
#define WORK_ROUNDS 2	/* passes over the buffer per operation */

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t table[TABLE_WORDS];
static uint64_t table_updates;

struct worker {
	pthread_t thread;
	uint64_t seed;
	volatile uint64_t *ops;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	uint64_t *buf = bench_xmalloc(BUF_WORDS * sizeof(*buf));
	uint64_t x = w->seed | 1;
	int phase;

	bench_worker();
	while ((phase = bench_phase()) != BENCH_STOP) {
		for (int r = 0; r < WORK_ROUNDS; r++) {
			for (int i = 0; i < BUF_WORDS; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[i] += x;
			}
		}
		pthread_mutex_lock(&table_lock);
		table[x % TABLE_WORDS] += buf[x % BUF_WORDS];
		table_updates++;
		pthread_mutex_unlock(&table_lock);
		if (phase == BENCH_MEASURE)
			(*w->ops)++;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct worker *w;
	double seconds, ops;

	bench_parse(argc, argv, &o, 4);
	bench_block_start_signal();
	bench_expect_workers(o.threads);
	bench_counters(&o, o.threads);
	w = bench_xmalloc(o.threads * sizeof(*w));
	for (int i = 0; i < o.threads; i++) {
		w[i].ops = bench_counter(i);
		w[i].seed = 0x9e3779b97f4a7c15ULL * (i + 1);
		if (pthread_create(&w[i].thread, NULL, work, &w[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	seconds = bench_measure(&o);
	for (int i = 0; i < o.threads; i++)
		pthread_join(w[i].thread, NULL);
	ops = bench_counters_sum();
	bench_report(ops, seconds, "ops/s");
	free(w);
	return table_updates ? 0 : 1;
}
