// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a scratch buffer shared by every user of a "discard" writer.
 * Label: racy.  discard_from() drains a source into one static scratch
 * buffer, since nobody reads what it holds; but the sources write into it,
 * so two threads draining different sources write the same bytes at once.
 *
 *   racy_discard [SECONDS]
 */
#include <stddef.h>

#include "corpus.h"

struct source {
	size_t (*read)(struct source *s, unsigned char *buf, size_t n);
	unsigned char next;
};

static unsigned char scratch[64];	/* BUG: shared by all callers */

static size_t discard_from(struct source *s, size_t want)
{
	size_t got = 0;

	while (got < want)
		got += s->read(s, scratch, sizeof(scratch));
	return got;
}

static size_t pattern_read(struct source *s, unsigned char *buf, size_t n)
{
	(void)s;
	for (size_t i = 0; i < n; i++)
		PLAIN_STORE(buf[i], (unsigned char)(i ^ 0x5a));	// RACE: discard A
	return n;
}

static size_t counter_read(struct source *s, unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		PLAIN_STORE(buf[i], s->next++);	// RACE: discard B
	return n;
}

static void *drain(void *arg)
{
	struct source *s = arg;
	size_t total = 0;

	do {
		total += discard_from(s, 64 * 1024);
	} while (!corpus_expired());
	return (void *)total;
}

int main(int argc, char **argv)
{
	struct source a = { pattern_read, 0 }, b = { counter_read, 0 };
	pthread_t ta, tb;

	corpus_start(argc, argv);
	ta = corpus_spawn(drain, &a);
	tb = corpus_spawn(drain, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	return 0;
}
