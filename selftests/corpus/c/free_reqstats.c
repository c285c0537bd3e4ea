// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: a statistics counter bumped once per request, with
 * an atomic add.
 * Label: race-free.  racy_reqstats with the counter's ++ made an
 * atomic_fetch_add (lock xadd); the total is read after every handler
 * has been joined.
 *
 *   free_reqstats [SECONDS]
 */
#include <stdatomic.h>

#include "corpus.h"

static struct {
	atomic_ulong served;
} stats;

static unsigned long handle(unsigned long id, unsigned int slot)
{
	char req[128], reply[64];
	unsigned long h;

	h = corpus_hash(req, corpus_render(req, sizeof(req), id));
	atomic_fetch_add_explicit(&stats.served, 1, memory_order_relaxed);
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nETag: %lx\r\n", h);
	(void)slot;
	return corpus_hash(reply, sizeof(reply) / 4);
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, NULL, &sum);
	printf("free_reqstats: %lu requests, %lu counted (%lx)\n",
	       requests, atomic_load(&stats.served), sum & 0xff);
	return 0;
}
