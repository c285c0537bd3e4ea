// SPDX-License-Identifier: GPL-2.0
/*
 * bp_switch: what a context switch costs a thread that holds an armed
 * execute breakpoint, as racetrap's site breakpoints and clock aims are
 * (per-thread perf hw_breakpoint events), on the machine it runs on.
 *
 *   bp_switch ROUNDS MODE
 *
 * Two threads bounce a byte over two pipes ROUNDS times; each sleeps and
 * wakes once per round trip.  MODE 0: nothing armed; 1: each thread holds
 * an execute breakpoint on abort(), code that never runs (so it never
 * fires: only the switches pay); 2: each holds a software perf event
 * (PERF_COUNT_SW_DUMMY), which costs perf's context switch of the
 * thread's event context without touching a debug register.  Prints
 * "MODE NS_PER_ROUND SWITCHES_PER_ROUND", the context switches of both
 * threads (getrusage(RUSAGE_THREAD)) over the rounds.  Run on the host:
 * it needs no racetrap, only perf_event_open() on its own threads.
 * bp_cost.sh switch alternates the modes and computes the differences.
 */
#define _GNU_SOURCE
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int to_peer[2], to_main[2];
static long rounds;
static int mode;
static pthread_barrier_t start;

/*
 * The breakpoint's address: code that exists and never runs, in a page
 * the loop does not run either (main() checks), so that under QEMU's TCG,
 * which runs a page holding a breakpoint one instruction at a time
 * (bp_page.c), only the switches pay.
 */
static unsigned long bp_addr(void)
{
	return (unsigned long)abort;
}

static int arm_self(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	if (mode == 2) {
		a.type = PERF_TYPE_SOFTWARE;
		a.config = PERF_COUNT_SW_DUMMY;
	} else {
		a.type = PERF_TYPE_BREAKPOINT;
		a.bp_type = HW_BREAKPOINT_X;
		a.bp_addr = bp_addr();
		a.bp_len = sizeof(long);
		a.sample_period = 1;
	}
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static long switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void *peer(void *arg)
{
	long *sw = arg;
	int fd = -1;
	char c;

	if (mode && (fd = arm_self()) < 0)
		die("perf_event_open");
	pthread_barrier_wait(&start);
	*sw = switches();
	for (long i = 0; i < rounds; i++)
		if (read(to_peer[0], &c, 1) != 1 || write(to_main[1], &c, 1) != 1)
			die("peer pipe");
	*sw = switches() - *sw;
	if (fd >= 0)
		close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	long peer_sw = 0, own_sw;
	pthread_t th;
	int fd = -1;
	char c = 'x';
	double ns;

	if (argc != 3 || (rounds = atol(argv[1])) <= 0 ||
	    (mode = atoi(argv[2])) < 0 || mode > 2) {
		fprintf(stderr, "usage: bp_switch ROUNDS MODE (0 none, 1 execute breakpoint, 2 software event)\n");
		return 2;
	}
	if ((bp_addr() ^ (unsigned long)read) < 4096 ||
	    (bp_addr() ^ (unsigned long)write) < 4096 ||
	    (bp_addr() ^ (unsigned long)peer) < 4096 ||
	    (bp_addr() ^ (unsigned long)main) < 4096) {
		fprintf(stderr, "bp_switch: abort() shares a page with the loop\n");
		return 1;
	}
	if (pipe(to_peer) || pipe(to_main))
		die("pipe");
	pthread_barrier_init(&start, NULL, 2);
	if (pthread_create(&th, NULL, peer, &peer_sw))
		die("pthread_create");
	if (mode && (fd = arm_self()) < 0)
		die("perf_event_open");
	pthread_barrier_wait(&start);
	own_sw = switches();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < rounds; i++)
		if (write(to_peer[1], &c, 1) != 1 || read(to_main[0], &c, 1) != 1)
			die("main pipe");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	own_sw = switches() - own_sw;
	pthread_join(th, NULL);
	if (fd >= 0)
		close(fd);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("%d %.1f %.2f\n", mode, ns / rounds,
	       (double)(own_sw + peer_sw) / rounds);
	return 0;
}
