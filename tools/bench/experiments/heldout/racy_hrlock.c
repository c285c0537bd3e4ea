// SPDX-License-Identifier: GPL-2.0
/*
 * Held-out (tools/bench/experiments/heldout/run): one of the corpus's
 * kinds in a per-request shape the corpus does not have.
 * Category: a write under a read lock, once per request.
 * Label: racy.  get() holds the cache's rwlock for reading and bumps the
 * entry's hit count under it; two requests for the same key race on it.
 *
 *   racy_hrlock [SECONDS]
 */
#include "corpus.h"

#define NKEYS 8

static struct {
	pthread_rwlock_t lock;
	struct entry {
		unsigned long hits;
		int class;
	} entry[NKEYS];
} cache = { .lock = PTHREAD_RWLOCK_INITIALIZER };

static int get(unsigned long key)
{
	struct entry *e;
	int class;

	pthread_rwlock_rdlock(&cache.lock);
	e = &cache.entry[key % NKEYS];
	e->hits++;	// RACE: hrlock A B
	class = e->class;
	pthread_rwlock_unlock(&cache.lock);
	return class;
}

static unsigned long handle(unsigned long id, unsigned int slot)
{
	char req[128], reply[64];
	unsigned long h;
	int class;

	h = corpus_hash(req, corpus_render(req, sizeof(req), id));
	class = get(id);
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nETag: %lx %d\r\n",
		 h, class);
	(void)slot;
	return corpus_hash(reply, sizeof(reply) / 4);
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	for (int k = 0; k < NKEYS; k++)
		cache.entry[k].class = k;
	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, NULL, &sum);
	printf("racy_hrlock: %lu requests (%lx)\n", requests, sum & 0xff);
	return 0;
}
