// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a map (hash table) written from several threads.
 * Label: racy.  An open-addressing table with no lock: the loader thread
 * inserts keys while the evictor deletes them; both update the shared
 * entry count (and the slots).  Open addressing keeps the damage to wrong
 * counts and lost keys, never a wild pointer, so the program runs on.
 *
 * The key space is large (4096 keys): while a sampler holds one thread
 * for a window, the other keeps inserting or deleting, and so keeps
 * updating the count, for milliseconds before the table is full or
 * empty.  (With 128 keys it was full or empty after a few microseconds,
 * and the count race almost never happened inside a window.)
 *
 *   racy_map [SECONDS]
 */
#include "corpus.h"

#define SLOTS 8192
#define KEYS 4096

static struct table {
	long key[SLOTS];	/* 0: empty */
	long val[SLOTS];
	unsigned long count;
} tab;

static void table_put(struct table *t, long key, long val)
{
	for (unsigned int p = 0, i = key % SLOTS; p < SLOTS; p++, i = (i + 1) % SLOTS) {
		long k = PLAIN_LOAD(t->key[i]);

		if (k == key) {
			t->val[i] = val;
			return;
		}
		if (k == 0) {
			PLAIN_STORE(t->key[i], key);
			t->val[i] = val;
			PLAIN_STORE(t->count, PLAIN_LOAD(t->count) + 1);	// RACE: map A
			return;
		}
	}
}

static void table_del(struct table *t, long key)
{
	for (unsigned int p = 0, i = key % SLOTS; p < SLOTS; p++, i = (i + 1) % SLOTS) {
		long k = PLAIN_LOAD(t->key[i]);

		if (k == key) {
			PLAIN_STORE(t->key[i], 0);
			PLAIN_STORE(t->count, PLAIN_LOAD(t->count) - 1);	// RACE: map B
			return;
		}
		if (k == 0)
			return;
	}
}

static void *loader(void *arg)
{
	(void)arg;
	do {
		for (long n = 0; n < 4096; n++)
			table_put(&tab, 1 + n % KEYS, n);
	} while (!corpus_expired());
	return NULL;
}

static void *evictor(void *arg)
{
	(void)arg;
	do {
		for (long n = 0; n < 4096; n++)
			table_del(&tab, 1 + (n * 7) % KEYS);
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t l, e;

	corpus_start(argc, argv);
	l = corpus_spawn(loader, NULL);
	e = corpus_spawn(evictor, NULL);
	pthread_join(l, NULL);
	pthread_join(e, NULL);
	printf("racy_map: count %lu\n", tab.count);
	return 0;
}
