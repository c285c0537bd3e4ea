// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a loop variable captured by reference.
 * Label: racy.  The job loop handles most jobs inline but offloads every
 * "big" one to a worker thread (two at most), handing it &i, the address
 * of its own loop variable, instead of the value.  The worker keeps
 * reading *job while the loop goes on and increments i for the next jobs;
 * pthread_create() orders only the accesses before it, so every later i++
 * races with the reads of the workers still running.
 *
 *   racy_loopvar [SECONDS]
 */
#include <semaphore.h>
#include <stdint.h>

#include "corpus.h"

/*
 * A worker lives for several 10 ms clock-sampling periods of its own CPU
 * time (a thread that dies sooner is never sampled) while the job loop
 * keeps turning.
 */
#define PASSES (1 << 20)

static const unsigned long table[64] = { 3, 1, 4, 1, 5, 9, 2, 6 };
static sem_t slots;	/* two workers at a time */
static unsigned long inline_work;	/* main thread only */

static void *worker(void *arg)
{
	const long *job = arg;	/* BUG: main's loop variable, not a copy */
	unsigned long acc = 0;

	for (int n = 0; n < PASSES; n++)
		acc += table[PLAIN_LOAD(*job) & 63];	// RACE: loopvar B
	sem_post(&slots);
	return (void *)(uintptr_t)acc;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t t;

	corpus_start(argc, argv);
	sem_init(&slots, 0, 2);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (long i = 0; !corpus_expired(); PLAIN_STORE(i, i + 1)) {	// RACE: loopvar A
		if (i % 64 || sem_trywait(&slots)) {
			inline_work += table[i & 63];	/* small job: inline */
			continue;
		}
		if (pthread_create(&t, &attr, worker, &i)) {
			perror("pthread_create");
			return 1;
		}
	}
	/* Every worker posts when done: take both slots back before i dies. */
	sem_wait(&slots);
	sem_wait(&slots);
	printf("racy_loopvar: %lu\n", inline_work);
	return 0;
}
