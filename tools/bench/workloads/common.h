/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every C workload shares: its command line, the measuring phase and
 * the one result line the bench driver parses.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>

enum bench_phase { BENCH_WARMUP, BENCH_MEASURE, BENCH_STOP };

struct bench_opts {
	double seconds;		/* -t: length of the measured interval */
	int threads;		/* -n: worker threads (each workload's default) */
	int active;		/* -a: of those, working (the rest wait) */
	int wait_signal;	/* -s: measure from SIGUSR1, not after warm-up */
	const char *tick_file;	/* -i: counters in this file, for ticks */
};

void bench_parse(int argc, char **argv, struct bench_opts *o,
		 int default_threads);

/*
 * Workers count operations only while their phase is BENCH_MEASURE.  Each
 * worker keeps its phase in a thread-local word that signals from main
 * (SIGUSR2, then SIGRTMIN) set: no memory is shared for it.  A shared flag would
 * either be a plain load racing with main's store, which racetrap rightly
 * reports, or a locked read-modify-write of one hot word, whose every
 * access traps while racetrap watches it: either way the bench would
 * measure the harness.  fs:-relative (thread-local) accesses are never
 * sampled.  Every thread that calls bench_phase() must first call
 * bench_worker() once.
 */
void bench_worker(void);
int bench_phase(void);

/* Before creating workers: how many will call bench_worker(). */
void bench_expect_workers(int n);

/*
 * Block SIGUSR1 (call before creating threads, which inherit the mask),
 * then later wait for the start, measure for o->seconds and stop.  Returns
 * the measured interval's length in seconds.
 */
void bench_block_start_signal(void);
double bench_measure(const struct bench_opts *o);

/* The line the driver parses: "throughput <value> <unit>". */
void bench_report(double count, double seconds, const char *unit);

/*
 * The operation counters, one per worker, each alone on a cache line.
 * With -i FILE they live in FILE, mapped shared, so that tools/bench/ticks
 * (another process, which racetrap does not watch) can read the running
 * totals every 100 ms without any thread of the workload reading them:
 * an in-process reader would be a race racetrap reports, or a locked
 * access on every operation.  Call bench_counters() once in main, before
 * the workers start; each worker increments only its own counter.
 */
void bench_counters(const struct bench_opts *o, int n);
volatile uint64_t *bench_counter(int i);
double bench_counters_sum(void);

void *bench_xmalloc(unsigned long size);

#endif
