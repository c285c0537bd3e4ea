// SPDX-License-Identifier: GPL-2.0
/*
 * Category: an unlocked statistics counter, bumped once per request.
 * Label: racy.  A thread per request (at most four in flight): each
 * formats and hashes its request, counts itself in stats.served with a
 * plain ++ (one non-atomic add to memory) and formats its reply.  Every
 * handler runs the same line once in its life; two handlers in flight
 * race on it, and increments get lost.
 *
 *   racy_reqstats [SECONDS]
 */
#include "corpus.h"

static struct {
	unsigned long served;
} stats;

static unsigned long handle(unsigned long id, unsigned int slot)
{
	char req[128], reply[64];
	unsigned long h;

	h = corpus_hash(req, corpus_render(req, sizeof(req), id));
	stats.served++;	// RACE: reqstats A B
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nETag: %lx\r\n", h);
	(void)slot;
	return corpus_hash(reply, sizeof(reply) / 4);
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, NULL, &sum);
	printf("racy_reqstats: %lu requests, %lu counted (%lx)\n",
	       requests, stats.served, sum & 0xff);
	return 0;
}
