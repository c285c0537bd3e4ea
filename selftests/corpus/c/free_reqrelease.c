// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: C11 release/acquire publication, per request.
 * Label: race-free.  The dispatcher publishes a new configuration every
 * 16 requests with a release store of the global pointer, then marks the
 * one it replaced retired with a release store of its flag; each request
 * takes the configuration with an acquire load, works with it, and
 * checks the flag with an acquire load before answering (a retired one
 * is swapped for the current).  On x86 all four are plain MOVs, as a
 * racy plain access is: only the DWARF types (an _Atomic pointer, an
 * atomic_int member) say they are atomic (Documentation/engine.rst,
 * "Atomic pairs").  A configuration is never changed after its
 * publication and never freed: a request may still hold it.
 *
 *   free_reqrelease [SECONDS]
 */
#include <stdatomic.h>

#include "corpus.h"

struct config {
	unsigned long gen;
	unsigned long salt;
	atomic_int retired;
};

static _Atomic(struct config *) current;

/* The dispatcher, before request @id starts. */
static void reload(unsigned long id, unsigned int slot)
{
	struct config *c, *old;

	(void)slot;
	if (id % 16)
		return;
	c = malloc(sizeof(*c));
	if (!c)
		exit(1);
	c->gen = id / 16;
	c->salt = id * 2654435761UL;
	atomic_init(&c->retired, 0);
	old = atomic_load_explicit(&current, memory_order_relaxed);
	atomic_store_explicit(&current, c, memory_order_release);
	if (old)
		atomic_store_explicit(&old->retired, 1, memory_order_release);
}

static unsigned long handle(unsigned long id, unsigned int slot)
{
	struct config *c = atomic_load_explicit(&current, memory_order_acquire);
	char req[128], reply[64];
	unsigned long h;

	h = corpus_hash(req, corpus_render(req, sizeof(req), id ^ c->salt));
	if (atomic_load_explicit(&c->retired, memory_order_acquire))
		c = atomic_load_explicit(&current, memory_order_acquire);
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nX-Gen: %lu\r\nETag: %lx\r\n",
		 c->gen, h);
	(void)slot;
	return corpus_hash(reply, sizeof(reply) / 4);
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, reload, &sum);
	printf("free_reqrelease: %lu requests (%lx)\n", requests, sum & 0xff);
	return 0;
}
