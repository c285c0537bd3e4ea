// SPDX-License-Identifier: GPL-2.0
/* Command line, measuring phase and result line of the C workloads. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

/* Before the measured interval, so the pool reaches its steady state. */
#define WARMUP_SECONDS 0.5

/*
 * One signal per phase, so nothing shared is read in the handler: an
 * acquire load there is a plain mov that racetrap, seeing only one locked
 * side, reports against main's store.  Two signals of one kind do not
 * queue, but two kinds both pending are delivered lowest number first, so
 * a late thread still sees MEASURE before STOP.
 */
#define MEASURE_SIGNAL SIGUSR2
#define STOP_SIGNAL SIGRTMIN

static __thread volatile sig_atomic_t my_phase = BENCH_WARMUP;

/* Registered workers, to signal; guarded by workers_lock. */
static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t workers_cond = PTHREAD_COND_INITIALIZER;
static pthread_t *workers;
static int nr_workers, expected_workers;

static void on_measure(int sig)
{
	(void)sig;
	if (my_phase == BENCH_WARMUP)
		my_phase = BENCH_MEASURE;
}

static void on_stop(int sig)
{
	(void)sig;
	my_phase = BENCH_STOP;
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void bench_expect_workers(int n)
{
	handle(MEASURE_SIGNAL, on_measure);
	handle(STOP_SIGNAL, on_stop);
	workers = bench_xmalloc(n * sizeof(*workers));
	expected_workers = n;
}

void bench_worker(void)
{
	pthread_mutex_lock(&workers_lock);
	workers[nr_workers++] = pthread_self();
	pthread_cond_broadcast(&workers_cond);
	pthread_mutex_unlock(&workers_lock);
}

int bench_phase(void)
{
	return my_phase;
}

static void set_phase(int sig)
{
	pthread_mutex_lock(&workers_lock);
	for (int i = 0; i < nr_workers; i++)
		pthread_kill(workers[i], sig);
	pthread_mutex_unlock(&workers_lock);
}

static void wait_workers(void)
{
	pthread_mutex_lock(&workers_lock);
	while (nr_workers < expected_workers)
		pthread_cond_wait(&workers_cond, &workers_lock);
	pthread_mutex_unlock(&workers_lock);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-t SECONDS] [-n THREADS] [-a ACTIVE] [-s] [-i FILE]\n"
		"  -t  measured interval (default 5)\n"
		"  -n  worker threads\n"
		"  -a  of those, how many work; the rest wait (default: all)\n"
		"  -s  start measuring on SIGUSR1 instead of after %.1f s\n"
		"  -i  keep the operation counters in FILE, for tools/bench/ticks\n",
		prog, WARMUP_SECONDS);
	exit(2);
}

/* A thread count for -n or -a: 1..4096. */
static int thread_count(const char *arg, const char *prog)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || *end || n < 1 || n > 4096)
		usage(prog);
	return (int)n;
}

void bench_parse(int argc, char **argv, struct bench_opts *o,
		 int default_threads)
{
	char *end;
	int c;

	o->seconds = 5;
	o->threads = default_threads;
	o->active = 0;
	o->wait_signal = 0;
	o->tick_file = NULL;
	while ((c = getopt(argc, argv, "t:n:a:si:")) != -1) {
		switch (c) {
		case 't':
			errno = 0;
			o->seconds = strtod(optarg, &end);
			if (errno || *end || o->seconds <= 0 || o->seconds > 86400)
				usage(argv[0]);
			break;
		case 'n':
			o->threads = thread_count(optarg, argv[0]);
			break;
		case 'a':
			o->active = thread_count(optarg, argv[0]);
			break;
		case 's':
			o->wait_signal = 1;
			break;
		case 'i':
			o->tick_file = optarg;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
	if (!o->active || o->active > o->threads)
		o->active = o->threads;
}

void bench_block_start_signal(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_for(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

double bench_measure(const struct bench_opts *o)
{
	double t0, t1;

	wait_workers();
	printf("ready\n");
	fflush(stdout);
	if (o->wait_signal) {
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigwait(&set, &sig);
	} else {
		sleep_for(WARMUP_SECONDS);
	}
	t0 = now();
	set_phase(MEASURE_SIGNAL);
	sleep_for(o->seconds);
	set_phase(STOP_SIGNAL);
	t1 = now();
	return t1 - t0;
}

void bench_report(double count, double seconds, const char *unit)
{
	printf("throughput %.1f %s\n", count / seconds, unit);
	fflush(stdout);
}

/* One cache line per counter: workers never share a line. */
#define COUNTER_STRIDE 8

static volatile uint64_t *counters;
static int nr_counters;

void bench_counters(const struct bench_opts *o, int n)
{
	size_t size = (size_t)n * COUNTER_STRIDE * sizeof(*counters);
	void *p;
	int fd;

	nr_counters = n;
	if (!o->tick_file) {
		counters = bench_xmalloc(size);
		return;
	}
	fd = open(o->tick_file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, size)) {
		perror(o->tick_file);
		exit(1);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	close(fd);
	counters = p;
}

volatile uint64_t *bench_counter(int i)
{
	return &counters[(size_t)i * COUNTER_STRIDE];
}

double bench_counters_sum(void)
{
	double sum = 0;

	for (int i = 0; i < nr_counters; i++)
		sum += *bench_counter(i);
	return sum;
}

void *bench_xmalloc(unsigned long size)
{
	void *p = calloc(1, size);

	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}
