// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: thread-local data.
 * Label: race-free.  Each thread counts into its own __thread counters
 * and hands the total back through pthread_join().
 *
 *   free_tls [SECONDS]
 */
#include <stdint.h>

#include "corpus.h"

static __thread struct {
	unsigned long calls, bytes;
} mine;

static void *worker(void *arg)
{
	unsigned long step = (unsigned long)arg;

	do {
		for (int n = 0; n < 4096; n++) {
			PLAIN_STORE(mine.calls, mine.calls + 1);
			PLAIN_STORE(mine.bytes, mine.bytes + step);
		}
	} while (!corpus_expired());
	return (void *)(uintptr_t)mine.calls;
}

int main(int argc, char **argv)
{
	void *ra, *rb;
	pthread_t a, b;

	corpus_start(argc, argv);
	a = corpus_spawn(worker, (void *)1);
	b = corpus_spawn(worker, (void *)3);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	printf("free_tls: %lu calls\n", (unsigned long)(uintptr_t)ra + (uintptr_t)rb);
	return 0;
}
