// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: a channel (here a pipe of pointers) hands buffers
 * over, and with them their ownership.
 * Label: race-free.  Four buffers circulate: the producer fills a buffer
 * it owns, then writes its pointer into `full`; the consumer reads it,
 * checks it, and returns it through `empty`.  A buffer is touched only
 * by its current owner, and the pipe orders each hand-over.
 *
 *   free_channel [SECONDS]
 */
#include <unistd.h>

#include "corpus.h"

#define NBUF 4
#define WORDS 512

struct buffer {
	long seq;
	long word[WORDS];
};

static struct buffer pool[NBUF];
static int full[2], empty[2];

static void *producer(void *arg)
{
	struct buffer *b;
	long seq = 0;

	(void)arg;
	while (read(empty[0], &b, sizeof(b)) == sizeof(b)) {
		if (corpus_expired())
			b = NULL;	/* tells the consumer to stop */
		else {
			b->seq = ++seq;
			for (int i = 0; i < WORDS; i++)
				b->word[i] = seq + i;
		}
		if (write(full[1], &b, sizeof(b)) != sizeof(b) || !b)
			break;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long *bad = arg;
	struct buffer *b;

	while (read(full[0], &b, sizeof(b)) == sizeof(b) && b) {
		for (int i = 0; i < WORDS; i++)
			*bad += b->word[i] != b->seq + i;
		if (write(empty[1], &b, sizeof(b)) != sizeof(b))
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long bad = 0;
	pthread_t p, c;

	corpus_start(argc, argv);
	if (pipe(full) || pipe(empty)) {
		perror("pipe");
		return 1;
	}
	for (int i = 0; i < NBUF; i++) {
		struct buffer *b = &pool[i];

		if (write(empty[1], &b, sizeof(b)) != sizeof(b))
			return 1;
	}
	p = corpus_spawn(producer, NULL);
	c = corpus_spawn(consumer, &bad);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	printf("free_channel: %ld bad words\n", bad);
	return bad != 0;
}
