// SPDX-License-Identifier: GPL-2.0
/*
 * A race-free fixture as racetrap sees it: two threads each count in
 * their own cache line and add to a shared total only under a mutex, for
 * SECONDS seconds, then exit with EXIT_CODE (a negative one: kill itself
 * with that signal).  racetrap must report nothing.
 *
 *   fix_racefree [SECONDS [EXIT_CODE]]   (defaults 5, 0)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct slot {
	long count;
} __attribute__((aligned(64)));

static struct slot slots[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;
/* Written before the threads start, only read after. */
static struct timespec deadline;

static int past_deadline(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline.tv_sec ||
	       (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

__attribute__((noinline)) static void count(struct slot *s)
{
	s->count++;
}

static void *worker(void *arg)
{
	struct slot *s = arg;

	do {
		for (int n = 0; n < 4096; n++) {
			count(s);
			if (!(n & 63)) {
				pthread_mutex_lock(&lock);
				total++;
				pthread_mutex_unlock(&lock);
			}
		}
	} while (!past_deadline());
	return NULL;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 5;
	int code = argc > 2 ? atoi(argv[2]) : 0;
	pthread_t t[2];

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds > 0 ? seconds : 5;
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, worker, &slots[i])) {
			perror("pthread_create");
			return 1;
		}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("fix_racefree: %ld + %ld counted, %ld under the lock\n",
	       slots[0].count, slots[1].count, total);
	if (code < 0)
		raise(-code);
	return code;
}
