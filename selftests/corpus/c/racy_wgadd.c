// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a WaitGroup-style latch whose add() runs inside the worker.
 * Label: racy.  Each round starts two workers that call latch_add() only
 * once they run; the main thread's latch_wait() finds the count still at
 * zero (the workers have not started yet), returns at once, and reads the
 * results while the workers write them.  The join that follows comes
 * after the damage.
 *
 * Each worker does its setup (a connection, a file: a 200 us sleep stands
 * for it) before it registers with the latch, and the main thread reads
 * for as long as the workers write, so in nearly every round the reads
 * overlap the writes in time, not only in happens-before order: the race
 * is there to be caught while it happens, by a sampler as by TSan.
 *
 *   racy_wgadd [SECONDS]
 */
#include <unistd.h>

#include "corpus.h"

#define PASSES (1 << 18)

struct latch {
	pthread_mutex_t mu;
	pthread_cond_t zero;
	int count;
};

static struct latch done = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
static long results[2];

static void latch_add(struct latch *l, int n)
{
	pthread_mutex_lock(&l->mu);
	l->count += n;
	if (l->count == 0)
		pthread_cond_broadcast(&l->zero);
	pthread_mutex_unlock(&l->mu);
}

static void latch_wait(struct latch *l)
{
	pthread_mutex_lock(&l->mu);
	while (l->count)
		pthread_cond_wait(&l->zero, &l->mu);
	pthread_mutex_unlock(&l->mu);
}

static void *worker(void *arg)
{
	long *slot = arg;

	usleep(200);		/* setup */
	latch_add(&done, 1);	/* BUG: too late, main may be past wait */
	for (long k = 0; k < PASSES; k++)
		PLAIN_STORE(*slot, PLAIN_LOAD(*slot) + k);	// RACE: wgadd A
	latch_add(&done, -1);
	return NULL;
}

int main(int argc, char **argv)
{
	long sum = 0, rounds = 0;

	corpus_start(argc, argv);
	while (!corpus_expired()) {
		pthread_t t0 = corpus_spawn(worker, &results[0]);
		pthread_t t1 = corpus_spawn(worker, &results[1]);

		latch_wait(&done);
		for (long k = 0; k < PASSES; k++)
			sum += PLAIN_LOAD(results[k & 1]);	// RACE: wgadd B
		pthread_join(t0, NULL);
		pthread_join(t1, NULL);
		rounds++;
	}
	printf("racy_wgadd: %ld rounds, sum %ld\n", rounds, sum);
	return 0;
}
