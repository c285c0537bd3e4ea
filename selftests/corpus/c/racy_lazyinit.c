// SPDX-License-Identifier: GPL-2.0
/*
 * Category: double-checked lazy initialisation without atomics.
 * Label: racy.  get_config() checks the `config` pointer without the lock
 * and builds it under the lock when it is NULL; the publishing store and
 * the unlocked check are plain accesses, so a reader can see the pointer
 * before the fields (and nothing orders them at all).  A reload thread
 * drops the config now and then (under the lock, as it should), so
 * initialisation happens again and again during the run.
 *
 *   racy_lazyinit [SECONDS]
 */
#include "corpus.h"

struct config {
	long limit;
};

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static struct config *config;
static struct config slot[2];
static long generation;

static struct config *get_config(void)
{
	struct config *c = PLAIN_LOAD(config);	// RACE: lazyinit B

	if (c)
		return c;
	pthread_mutex_lock(&config_lock);
	if (!config) {
		c = &slot[generation & 1];
		c->limit = 100 + generation;
		PLAIN_STORE(config, c);	// RACE: lazyinit A
	}
	c = config;
	pthread_mutex_unlock(&config_lock);
	return c;
}

static void *user(void *arg)
{
	long *sum = arg;

	do {
		for (int n = 0; n < 4096; n++)
			*sum += get_config()->limit;
	} while (!corpus_expired());
	return NULL;
}

static void *reloader(void *arg)
{
	long *sum = arg;

	do {
		for (int n = 0; n < 4096; n++) {
			*sum += get_config()->limit;
			if (n % 256 == 255) {
				pthread_mutex_lock(&config_lock);
				config = NULL;
				generation++;
				pthread_mutex_unlock(&config_lock);
			}
		}
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	long a = 0, b = 0;
	pthread_t u, r;

	corpus_start(argc, argv);
	u = corpus_spawn(user, &a);
	r = corpus_spawn(reloader, &b);
	pthread_join(u, NULL);
	pthread_join(r, NULL);
	printf("racy_lazyinit: %ld generations\n", generation);
	return 0;
}
