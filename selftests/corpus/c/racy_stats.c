// SPDX-License-Identifier: GPL-2.0
/*
 * Category: an unlocked statistics counter.
 * Label: racy.  Two request handlers bump the same request counter with a
 * plain ++ (load, add, store): increments get lost, and the accesses race.
 *
 *   racy_stats [SECONDS]
 */
#include "corpus.h"

static struct {
	unsigned long requests;
} stats;

static void handle_get(void)
{
	PLAIN_STORE(stats.requests, PLAIN_LOAD(stats.requests) + 1);	// RACE: stats A
}

static void handle_put(void)
{
	PLAIN_STORE(stats.requests, PLAIN_LOAD(stats.requests) + 1);	// RACE: stats B
}

static void *getter(void *arg)
{
	(void)arg;
	do {
		for (int n = 0; n < 4096; n++)
			handle_get();
	} while (!corpus_expired());
	return NULL;
}

static void *putter(void *arg)
{
	(void)arg;
	do {
		/* Not 4096: gcc -O2 would fold two identical threads into one. */
		for (int n = 0; n < 2048; n++)
			handle_put();
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t g, p;

	corpus_start(argc, argv);
	g = corpus_spawn(getter, NULL);
	p = corpus_spawn(putter, NULL);
	pthread_join(g, NULL);
	pthread_join(p, NULL);
	printf("racy_stats: %lu requests counted\n", stats.requests);
	return 0;
}
