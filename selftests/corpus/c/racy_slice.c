// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a slice header (pointer + length) read while another thread
 * appends under a lock.
 * Label: racy.  The producer appends to `items` holding items_lock; the
 * monitor reads items.len (to show the latest item) without the lock, so
 * its read races with every append's length update.
 *
 *   racy_slice [SECONDS]
 */
#include "corpus.h"

#define CAP 4096

static struct vec {
	long *data;
	size_t len, cap;
} items;
static pthread_mutex_t items_lock = PTHREAD_MUTEX_INITIALIZER;

static void *producer(void *arg)
{
	(void)arg;
	for (long x = 0; !(x % 4096 == 0 && corpus_expired()); x++) {
		pthread_mutex_lock(&items_lock);
		if (items.len == items.cap)
			items.len = 0;	/* a ring: keep memory bounded */
		items.data[items.len] = x;
		items.len = items.len + 1;	// RACE: slice A
		pthread_mutex_unlock(&items_lock);
	}
	return NULL;
}

static void *monitor(void *arg)
{
	long *latest = arg;

	do {
		for (int n = 0; n < 4096; n++) {
			size_t len = PLAIN_LOAD(items.len);	// RACE: slice B

			*latest = len ? items.data[len - 1] : -1;
		}
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	static long data[CAP];
	long latest = 0;
	pthread_t p, m;

	corpus_start(argc, argv);
	items.data = data;
	items.cap = CAP;
	p = corpus_spawn(producer, NULL);
	m = corpus_spawn(monitor, &latest);
	pthread_join(p, NULL);
	pthread_join(m, NULL);
	printf("racy_slice: last seen %ld\n", latest);
	return 0;
}
