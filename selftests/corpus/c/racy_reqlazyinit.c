// SPDX-License-Identifier: GPL-2.0
/*
 * Category: double-checked lazy initialisation without atomics, once per
 * request.
 * Label: racy.  A thread per request (at most four in flight) looks up
 * the configuration once, through get_config(): an unlocked check of the
 * `config` pointer, and when it is NULL a build under the lock and a
 * plain publishing store.  The dispatcher reloads the configuration every
 * 16 requests (drops it, under the lock, as it should), so the next
 * request builds it again while the others in flight check it: the
 * publishing store of one request races with the unlocked check of
 * another, which may see the pointer before the fields.
 *
 *   racy_reqlazyinit [SECONDS]
 */
#include "corpus.h"

#define RELOAD_EVERY 16

struct config {
	unsigned long generation;
	char server[32];
};

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *config;
static unsigned long generation;

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
	struct config *c = config;	// RACE: reqlazyinit B

	if (c)
		return c;
	pthread_mutex_lock(&config_lock);
	if (!config) {
		c = new_config();
		c->generation = generation;
		snprintf(c->server, sizeof(c->server), "corpus/%lu", generation);
		config = c;	// RACE: reqlazyinit A
	}
	c = config;
	pthread_mutex_unlock(&config_lock);
	return c;
}

static void reload(unsigned long id, unsigned int k)
{
	(void)k;
	if (id % RELOAD_EVERY)
		return;
	pthread_mutex_lock(&config_lock);
	config = NULL;
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
	printf("racy_reqlazyinit: %lu requests, %lu generations (%lx)\n",
	       requests, generation, sum & 0xff);
	return 0;
}
