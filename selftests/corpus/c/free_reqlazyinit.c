// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: double-checked lazy initialisation with atomics,
 * once per request.
 * Label: race-free.  racy_reqlazyinit with the `config` pointer made an
 * atomic: the unlocked check is an atomic_load (a plain mov on x86), the
 * publishing store and the reload's drop are atomic_store (seq_cst: gcc
 * emits xchg), so a request that sees the pointer also sees the fields
 * written before it was published.
 *
 *   free_reqlazyinit [SECONDS]
 */
#include <stdatomic.h>

#include "corpus.h"

#define RELOAD_EVERY 16

struct config {
	unsigned long generation;
	char server[32];
};

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct config *) config;
static unsigned long generation;	/* under config_lock */

/*
 * Every generation gets its own config, never freed: a request may still
 * hold the one before a reload (a real service would free it after a
 * grace period).
 */
static struct config *new_config(void)
{
	struct config *c = malloc(sizeof(*c));

	if (!c) {
		perror("malloc");
		exit(1);
	}
	return c;
}

static struct config *get_config(void)
{
	struct config *c = atomic_load(&config);

	if (c)
		return c;
	pthread_mutex_lock(&config_lock);
	c = atomic_load(&config);
	if (!c) {
		c = new_config();
		c->generation = generation;
		snprintf(c->server, sizeof(c->server), "corpus/%lu", generation);
		atomic_store(&config, c);
	}
	pthread_mutex_unlock(&config_lock);
	return c;
}

static void reload(unsigned long id, unsigned int k)
{
	(void)k;
	if (id % RELOAD_EVERY)
		return;
	pthread_mutex_lock(&config_lock);
	atomic_store(&config, NULL);
	generation++;
	pthread_mutex_unlock(&config_lock);
}

static unsigned long handle(unsigned long id, unsigned int k)
{
	char req[128], reply[96];
	struct config *c;
	unsigned long h;

	(void)k;
	h = corpus_hash(req, corpus_render(req, sizeof(req), id));
	c = get_config();
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nServer: %s\r\nETag: %lx\r\n",
		 c->server, h);
	return corpus_hash(reply, sizeof(reply) / 4) + c->generation;
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, reload, &sum);
	printf("free_reqlazyinit: %lu requests, %lu generations (%lx)\n",
	       requests, generation, sum & 0xff);
	return 0;
}
