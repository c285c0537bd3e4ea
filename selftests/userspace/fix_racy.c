// SPDX-License-Identifier: GPL-2.0
/*
 * A racy fixture: one thread stores to `shared` while another loads it,
 * with no synchronisation, as fast as they can, for SECONDS seconds.  The
 * racing accesses are the only memory the two threads share that either
 * writes, so a correct report names exactly writer_step and reader_step.
 * At start it prints the source lines of both accesses, so the tests can
 * check the report's file:line without the source:
 *   fix_racy: write fix_racy.c:LINE read fix_racy.c:LINE
 *
 *   fix_racy [SECONDS]   (default 10)
 *
 * SIGUSR1 ends it at once with status 0, for tests that must not guess
 * how long racetrap takes (the handler exits: a flag the threads polled
 * would be one more shared write).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile long shared;
/* Written before the threads start, only read after: not shared writes. */
static struct timespec deadline;

/* Each access shares its line with the statement that reports the line. */
__attribute__((noinline)) static void writer_step(long v, int *line)
{
	shared = v; if (line) *line = __LINE__;
}

__attribute__((noinline)) static long reader_step(int *line)
{
	long v = shared; if (line) *line = __LINE__;
	return v;
}

static int past_deadline(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline.tv_sec ||
	       (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

static void *writer(void *arg)
{
	long i = 0;

	(void)arg;
	do {
		for (int n = 0; n < 4096; n++)
			writer_step(++i, NULL);
	} while (!past_deadline());
	return NULL;
}

static void *reader(void *arg)
{
	long *result = arg, sum = 0;

	do {
		for (int n = 0; n < 4096; n++)
			sum += reader_step(NULL);
	} while (!past_deadline());
	*result = sum;
	return NULL;
}

static void finish(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	int write_line = 0, read_line = 0;
	pthread_t w, r;
	long sum = 0;

	writer_step(0, &write_line);
	reader_step(&read_line);
	printf("fix_racy: write fix_racy.c:%d read fix_racy.c:%d\n",
	       write_line, read_line);
	fflush(stdout);

	signal(SIGUSR1, finish);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds > 0 ? seconds : 10;
	if (pthread_create(&w, NULL, writer, NULL) ||
	    pthread_create(&r, NULL, reader, &sum)) {
		perror("pthread_create");
		return 1;
	}
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	printf("fix_racy: done, the reader summed %ld\n", sum);
	return 0;
}
