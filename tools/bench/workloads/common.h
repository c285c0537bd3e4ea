/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every C workload shares: its command line, the measuring phase and
 * the one result line the bench driver parses.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

enum bench_phase { BENCH_WARMUP, BENCH_MEASURE, BENCH_STOP };

struct bench_opts {
	double seconds;		/* -t: length of the measured interval */
	int threads;		/* -n: worker threads (each workload's default) */
	int wait_signal;	/* -s: measure from SIGUSR1, not after warm-up */
};

void bench_parse(int argc, char **argv, struct bench_opts *o,
		 int default_threads);

/*
 * Workers count operations only while the phase is BENCH_MEASURE.  Both
 * sides use locked instructions (lock xadd to read, xchg to write), not
 * plain loads and stores: racetrap ignores a conflict only when both
 * accesses are atomic, and a report must come from the workload, never
 * from the harness.  A mutex would do too, but with 256 threads under
 * TSan the extra lock made the run crawl.
 */
int bench_phase(void);

/*
 * Block SIGUSR1 (call before creating threads, which inherit the mask),
 * then later wait for the start, measure for o->seconds and stop.  Returns
 * the measured interval's length in seconds.
 */
void bench_block_start_signal(void);
double bench_measure(const struct bench_opts *o);

/* The line the driver parses: "throughput <value> <unit>". */
void bench_report(double count, double seconds, const char *unit);

void *bench_xmalloc(unsigned long size);

#endif
