// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: condition-variable hand-off.
 * Label: race-free.  One frame buffer, owned by whoever `ready` says: the
 * producer fills it outside the lock while it owns it, then sets ready and
 * signals; the consumer waits for ready, reads the frame outside the
 * lock, then gives it back.  The lock and condition variable order every
 * hand-over, so the unlocked accesses never overlap.
 *
 *   free_condvar [SECONDS]
 */
#include "corpus.h"

#define WORDS 256

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int ready, stop;
static long frame[WORDS];

static void *producer(void *arg)
{
	(void)arg;
	for (long seq = 1;; seq++) {
		int last = corpus_expired();

		for (int i = 0; i < WORDS; i++)	/* we own the frame */
			frame[i] = seq * i;
		pthread_mutex_lock(&lock);
		ready = 1;
		stop = last;
		pthread_cond_signal(&changed);
		while (ready)
			pthread_cond_wait(&changed, &lock);
		pthread_mutex_unlock(&lock);
		if (last)
			return NULL;
	}
}

static void *consumer(void *arg)
{
	long *sum = arg;

	for (;;) {
		int last;

		pthread_mutex_lock(&lock);
		while (!ready)
			pthread_cond_wait(&changed, &lock);
		last = stop;
		pthread_mutex_unlock(&lock);
		for (int i = 0; i < WORDS; i++)	/* now it is ours */
			*sum += frame[i];
		pthread_mutex_lock(&lock);
		ready = 0;
		pthread_cond_signal(&changed);
		pthread_mutex_unlock(&lock);
		if (last)
			return NULL;
	}
}

int main(int argc, char **argv)
{
	long sum = 0;
	pthread_t p, c;

	corpus_start(argc, argv);
	p = corpus_spawn(producer, NULL);
	c = corpus_spawn(consumer, &sum);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	printf("free_condvar: sum %ld\n", sum);
	return 0;
}
