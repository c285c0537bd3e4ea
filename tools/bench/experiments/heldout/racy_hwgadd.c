// SPDX-License-Identifier: GPL-2.0
/*
 * Held-out (tools/bench/experiments/heldout/run): one of the corpus's
 * kinds in a per-request shape the corpus does not have.
 * Category: a wait group's add inside the thread, per request.
 * Label: racy.  Each request fans out two helper threads that add
 * themselves to the request's wait group; the wait may return before
 * they have, and the handler reads a part still being written.
 *
 *   racy_hwgadd [SECONDS]
 */
#include "corpus.h"

struct group {
	pthread_mutex_t lock;
	pthread_cond_t done;
	int count;
	unsigned long id;
	unsigned long *part;	/* on the heap, as Go's slice */
};

struct part {
	struct group *g;
	int k;
};

static void group_add(struct group *g, int n)
{
	pthread_mutex_lock(&g->lock);
	g->count += n;
	if (!g->count)
		pthread_cond_broadcast(&g->done);
	pthread_mutex_unlock(&g->lock);
}

static void *helper(void *arg)
{
	struct part *p = arg;
	char req[128];
	unsigned long h;

	group_add(p->g, 1);
	h = corpus_hash(req, corpus_render(req, sizeof(req), p->g->id + p->k));
	PLAIN_STORE(p->g->part[p->k], h);	// RACE: hwgadd A
	group_add(p->g, -1);
	return NULL;
}

static unsigned long handle(unsigned long id, unsigned int slot)
{
	struct group g = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.done = PTHREAD_COND_INITIALIZER,
		.id = id,
		.part = calloc(2, sizeof(*g.part)),
	};
	struct part p[2] = { { &g, 0 }, { &g, 1 } };
	pthread_t t[2];
	unsigned long r;

	for (int k = 0; k < 2; k++)
		t[k] = corpus_spawn(helper, &p[k]);
	pthread_mutex_lock(&g.lock);
	while (g.count)
		pthread_cond_wait(&g.done, &g.lock);
	pthread_mutex_unlock(&g.lock);
	r = PLAIN_LOAD(g.part[0]) ^ PLAIN_LOAD(g.part[1]);	// RACE: hwgadd B
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	free(g.part);
	(void)slot;
	return r;
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, NULL, &sum);
	printf("racy_hwgadd: %lu requests (%lx)\n", requests, sum & 0xff);
	return 0;
}
