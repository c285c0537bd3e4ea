// SPDX-License-Identifier: GPL-2.0
/*
 * Category: partial locking: one access left outside the lock that guards
 * the variable everywhere else.
 * Label: racy.  record() adds to `total` under total_lock; flush() reads
 * it under the lock too, but resets it after unlocking, so the reset races
 * with every locked add.
 *
 *   racy_partiallock [SECONDS]
 */
#include "corpus.h"

static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static long total;

static void record(long bytes)
{
	pthread_mutex_lock(&total_lock);
	total += bytes;	// RACE: partiallock A
	pthread_mutex_unlock(&total_lock);
}

static long flush(void)
{
	long v;

	pthread_mutex_lock(&total_lock);
	v = total;
	pthread_mutex_unlock(&total_lock);
	PLAIN_STORE(total, 0);	// RACE: partiallock B
	return v;
}

static void *sender(void *arg)
{
	(void)arg;
	do {
		for (int n = 0; n < 4096; n++)
			record(n & 7);
	} while (!corpus_expired());
	return NULL;
}

static void *flusher(void *arg)
{
	long *flushed = arg;

	do {
		for (int n = 0; n < 4096; n++)
			*flushed += flush();
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	long flushed = 0;
	pthread_t s, f;

	corpus_start(argc, argv);
	s = corpus_spawn(sender, NULL);
	f = corpus_spawn(flusher, &flushed);
	pthread_join(s, NULL);
	pthread_join(f, NULL);
	printf("racy_partiallock: flushed %ld\n", flushed);
	return 0;
}
