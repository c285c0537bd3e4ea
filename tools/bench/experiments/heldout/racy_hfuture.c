// SPDX-License-Identifier: GPL-2.0
/*
 * Held-out (tools/bench/experiments/heldout/run): one of the corpus's
 * kinds in a per-request shape the corpus does not have.
 * Category: a future that signals before it stores, per request.
 * Label: racy.  Each request starts a helper thread that hashes the
 * request, publishes "ready" with a release store and only then stores
 * the value; the handler, once it sees ready, reads the value.
 *
 *   racy_hfuture [SECONDS]
 */
#include <stdatomic.h>
#include "corpus.h"

struct future {
	atomic_int ready;
	unsigned long id;
	unsigned long val;
};

static void *helper(void *arg)
{
	struct future *f = arg;
	char req[128];
	unsigned long h;

	h = corpus_hash(req, corpus_render(req, sizeof(req), f->id));
	atomic_store_explicit(&f->ready, 1, memory_order_release);
	PLAIN_STORE(f->val, h);	// RACE: hfuture A
	return NULL;
}

static unsigned long handle(unsigned long id, unsigned int slot)
{
	struct future *f = calloc(1, sizeof(*f));	/* as Go's escapes */
	char reply[64];
	unsigned long val;
	pthread_t t;

	f->id = id;
	t = corpus_spawn(helper, f);
	while (!atomic_load_explicit(&f->ready, memory_order_acquire))
		;
	val = PLAIN_LOAD(f->val);	// RACE: hfuture B
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nETag: %lx\r\n", val);
	pthread_join(t, NULL);
	free(f);
	(void)slot;
	return corpus_hash(reply, sizeof(reply) / 4);
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, NULL, &sum);
	printf("racy_hfuture: %lu requests (%lx)\n", requests, sum & 0xff);
	return 0;
}
