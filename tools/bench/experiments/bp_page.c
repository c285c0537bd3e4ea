// SPDX-License-Identifier: GPL-2.0
/*
 * bp_page: what an armed execute breakpoint that never fires costs the
 * code around it, on the machine it runs on: the question behind the
 * site trigger's overhead under QEMU's TCG (Documentation/benchmarks.rst,
 * "What an execute breakpoint costs the code beside it").
 *
 *   bp_page ITERATIONS MODE
 *
 * One thread runs a register-only loop (spin()) ITERATIONS times.  MODE
 * 0: nothing armed; 1: the thread holds an execute breakpoint on
 * never_runs(), a function in the same 4 KiB page as the loop that is
 * never called; 2: it holds one on abort() in libc, code in another page
 * that is never called either.  The breakpoint is a per-thread perf
 * hw_breakpoint event, as racetrap's site breakpoints and clock aims
 * are.  Prints "MODE NS_PER_ITERATION".  Hardware compares the debug
 * registers with each fetch at no cost, so modes 1 and 2 should equal
 * mode 0; QEMU 7.2's TCG runs every instruction of a page holding a
 * breakpoint as a block of its own (check_for_breakpoints() in
 * accel/tcg/cpu-exec.c), so mode 1 should be the slow one there.
 * bp_cost.sh page alternates the modes and computes the ratios.
 */
#define _GNU_SOURCE
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * spin() starts a page and never_runs() follows it; main() checks that
 * both are in one page, since the compiler is free to place them apart.
 */
__attribute__((noinline, aligned(4096))) static uint64_t spin(long n)
{
	uint64_t x = 88172645463325252ULL;

	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

__attribute__((noinline)) void never_runs(void)
{
	__asm__ volatile("" ::: "memory");
}

static int arm_self(unsigned long addr)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.type = PERF_TYPE_BREAKPOINT;
	a.bp_type = HW_BREAKPOINT_X;
	a.bp_addr = addr;
	a.bp_len = sizeof(long);
	a.sample_period = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

int main(int argc, char **argv)
{
	unsigned long page = (unsigned long)spin & ~4095UL;
	unsigned long addr = 0;
	struct timespec t0, t1;
	long iterations;
	int mode, fd = -1;
	uint64_t x;
	double ns;

	if (argc != 3 || (iterations = atol(argv[1])) <= 0 ||
	    (mode = atoi(argv[2])) < 0 || mode > 2) {
		fprintf(stderr, "usage: bp_page ITERATIONS MODE (0 none, 1 breakpoint in the loop's page, 2 breakpoint in another page)\n");
		return 2;
	}
	if (((unsigned long)never_runs & ~4095UL) != page) {
		fprintf(stderr, "bp_page: never_runs() is not in spin()'s page\n");
		return 1;
	}
	if (mode == 1)
		addr = (unsigned long)never_runs;
	else if (mode == 2)
		addr = (unsigned long)abort;
	if (mode == 2 && (addr & ~4095UL) == page) {
		fprintf(stderr, "bp_page: abort() is in spin()'s page\n");
		return 1;
	}
	if (mode && (fd = arm_self(addr)) < 0) {
		perror("perf_event_open");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	x = spin(iterations);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (fd >= 0)
		close(fd);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	/* x printed to stderr only when 0, so the loop is not optimised out */
	if (!x)
		fprintf(stderr, "bp_page: zero\n");
	printf("%d %.3f\n", mode, ns / iterations);
	return 0;
}
