/* SPDX-License-Identifier: GPL-2.0 */
/* What a context switch costs a thread holding an execute breakpoint. */
#ifndef RACETRAP_BPSWITCH_H
#define RACETRAP_BPSWITCH_H

#include <stddef.h>

/*
 * Measure @pairs samples into @samples[0..@pairs), each from a pair of
 * runs of @rounds round trips between two threads, one on CPU @main_cpu
 * and one on @peer_cpu (the same CPU or another), one run with an
 * execute breakpoint armed in each thread and one without: the armed
 * run's extra time over its context switches, in ns per switch (may be
 * negative: noise).  The calling thread's CPU affinity is restored
 * after.  Returns 0, or an errno with @err saying what failed
 * (perf_event_open() refused, most often).
 */
int rt_bpswitch_measure(unsigned int pairs, unsigned long rounds,
			int main_cpu, int peer_cpu, double *samples,
			char *err, size_t errlen);

#endif /* RACETRAP_BPSWITCH_H */
