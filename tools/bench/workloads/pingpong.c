// SPDX-License-Identifier: GPL-2.0
/*
 * pingpong: context-switch heavy.  N pairs of threads (default 1) bounce
 * one byte back and forth over two pipes, so every round trip is two
 * wake-ups and two context switches.  Reports round trips per second.
 * The bench's loaded-but-detached check runs it: a cost racetrap.ko put
 * on every context switch of the machine would show here first.
 *
 *   pingpong [-t SECONDS] [-n PAIRS] [-s] [-i FILE]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "common.h"

struct pair {
	pthread_t ping, pong;
	int to_pong[2], to_ping[2];
	volatile uint64_t *trips;
};

static void *ping(void *arg)
{
	struct pair *p = arg;
	char c = 0;
	int phase;

	bench_worker();
	while ((phase = bench_phase()) != BENCH_STOP) {
		if (write(p->to_pong[1], &c, 1) != 1 ||
		    read(p->to_ping[0], &c, 1) != 1)
			break;
		if (phase == BENCH_MEASURE)
			(*p->trips)++;
	}
	/* Let pong see the end: a closed pipe ends its read. */
	close(p->to_pong[1]);
	return NULL;
}

static void *pong(void *arg)
{
	struct pair *p = arg;
	char c;

	while (read(p->to_pong[0], &c, 1) == 1)
		if (write(p->to_ping[1], &c, 1) != 1)
			break;
	return NULL;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct pair *p;
	double seconds;

	bench_parse(argc, argv, &o, 1);
	bench_block_start_signal();
	bench_expect_workers(o.threads);
	bench_counters(&o, o.threads);
	p = bench_xmalloc(o.threads * sizeof(*p));
	for (int i = 0; i < o.threads; i++) {
		p[i].trips = bench_counter(i);
		if (pipe(p[i].to_pong) || pipe(p[i].to_ping)) {
			perror("pipe");
			return 1;
		}
		if (pthread_create(&p[i].ping, NULL, ping, &p[i]) ||
		    pthread_create(&p[i].pong, NULL, pong, &p[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	seconds = bench_measure(&o);
	for (int i = 0; i < o.threads; i++) {
		pthread_join(p[i].ping, NULL);
		pthread_join(p[i].pong, NULL);
	}
	bench_report(bench_counters_sum(), seconds, "round trips/s");
	free(p);
	return 0;
}
