// SPDX-License-Identifier: GPL-2.0
/*
 * racy_pool [SECONDS]: the case --watch-threads gives up on.  32 workers
 * sleep on a condvar; a dispatcher wakes one every 0.5 ms; each bumps a
 * shared counter without the lock once per request (the race), between
 * two stretches of private work.  The racing partner of a sampled
 * worker is usually asleep when the window opens and is woken inside
 * it, so a capped window arms it only if drawn.  See watch_threads.sh.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 32
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int pending;
static volatile unsigned long served; /* RACE */
static time_t end;

static unsigned long work(unsigned long x)
{
	for (int i = 0; i < 20000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

static void *worker(void *arg)
{
	unsigned long acc = (unsigned long)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		while (!pending)
			pthread_cond_wait(&cv, &mu);
		pending--;
		pthread_mutex_unlock(&mu);
		acc = work(acc);
		served = served + 1; /* racy read-modify-write */
		acc = work(acc);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 30);
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&th, NULL, worker, (void *)i);
	while (time(NULL) < end) {
		pthread_mutex_lock(&mu);
		pending++;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mu);
		usleep(500);
	}
	printf("racy_pool: %lu served\n", served);
	return 0;
}
