// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a write done under a read lock.
 * Label: racy.  cache_lookup() holds the rwlock for reading, as a lookup
 * should, but also bumps the hit counter it guards; a read lock does not
 * exclude other readers, so the stats reader's load (also under the read
 * lock) races with that write.
 *
 *   racy_rlockwrite [SECONDS]
 */
#include "corpus.h"

static struct cache {
	pthread_rwlock_t lock;
	long value[16];
	long hits;
} cache = { .lock = PTHREAD_RWLOCK_INITIALIZER };

static long cache_lookup(int key)
{
	long v;

	pthread_rwlock_rdlock(&cache.lock);
	v = cache.value[key & 15];
	cache.hits++;	// RACE: rlockwrite A
	pthread_rwlock_unlock(&cache.lock);
	return v;
}

static long cache_hits(void)
{
	long h;

	pthread_rwlock_rdlock(&cache.lock);
	h = cache.hits;	// RACE: rlockwrite B
	pthread_rwlock_unlock(&cache.lock);
	return h;
}

static void *client(void *arg)
{
	long *sum = arg;

	do {
		for (int n = 0; n < 4096; n++)
			*sum += cache_lookup(n);
	} while (!corpus_expired());
	return NULL;
}

static void *stats(void *arg)
{
	long *last = arg;

	do {
		for (int n = 0; n < 4096; n++)
			*last = cache_hits();
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	long sum = 0, last = 0;
	pthread_t c, s;

	corpus_start(argc, argv);
	c = corpus_spawn(client, &sum);
	s = corpus_spawn(stats, &last);
	pthread_join(c, NULL);
	pthread_join(s, NULL);
	printf("racy_rlockwrite: %ld hits, stats saw %ld\n", cache.hits, last);
	return 0;
}
