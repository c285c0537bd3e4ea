// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: lock-prefixed atomics.
 * Label: race-free.  Two threads count events with C11 atomic_fetch_add
 * (lock xadd) on the same counter; the total is read after both joined.
 *
 *   free_atomic [SECONDS]
 */
#include <stdatomic.h>

#include "corpus.h"

static atomic_ulong events;

static void *counter(void *arg)
{
	unsigned long step = (unsigned long)arg;

	do {
		for (int n = 0; n < 4096; n++)
			atomic_fetch_add(&events, step);
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;

	corpus_start(argc, argv);
	a = corpus_spawn(counter, (void *)1);
	b = corpus_spawn(counter, (void *)2);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("free_atomic: %lu events\n", atomic_load(&events));
	return 0;
}
