// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: C11 atomic loads and stores (a flag and a published
 * pointer).
 * Label: race-free.  A producer fills a message while it owns it, then
 * publishes it with atomic_store on a pointer and on a flag (seq_cst:
 * gcc emits xchg); the consumer waits with atomic_load on the flag (a
 * plain mov, as every atomic load on x86), takes the pointer with
 * atomic_load, reads the message and hands it back with atomic_store.
 * The flag orders every hand-over, so the plain accesses to the message
 * never overlap, and the flag, pointer and stop word are atomic objects:
 * a plain load of one against an xchg store is no race.
 *
 *   free_publish [SECONDS]
 */
#include <sched.h>
#include <stdatomic.h>

#include "corpus.h"

#define WORDS 15

struct msg {
	long seq;
	long words[WORDS];
};

static struct msg message;
static _Atomic(struct msg *) box;
static atomic_int full;		/* 1: the consumer owns the message */
static atomic_bool done;

static void *producer(void *arg)
{
	(void)arg;
	for (long seq = 1;; seq++) {
		while (atomic_load(&full))
			sched_yield();
		if (corpus_expired()) {
			atomic_store(&done, 1);
			return NULL;
		}
		message.seq = seq;		/* we own the message */
		for (int i = 0; i < WORDS; i++)
			message.words[i] = seq * i;
		atomic_store(&box, &message);
		atomic_store(&full, 1);
	}
}

static void *consumer(void *arg)
{
	long bad = 0;

	(void)arg;
	for (;;) {
		struct msg *m;

		while (!atomic_load(&full)) {
			if (atomic_load(&done))
				return (void *)bad;
			sched_yield();
		}
		m = atomic_load(&box);
		for (int i = 0; i < WORDS; i++)	/* we own the message */
			bad += m->words[i] != m->seq * i;
		atomic_store(&full, 0);
	}
}

int main(int argc, char **argv)
{
	pthread_t p, c;
	void *bad;

	corpus_start(argc, argv);
	p = corpus_spawn(producer, NULL);
	c = corpus_spawn(consumer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, &bad);
	printf("free_publish: %ld torn messages\n", (long)bad);
	return bad != NULL;
}
