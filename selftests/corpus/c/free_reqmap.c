// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: a table written under the lock that guards it, once
 * per request.
 * Label: race-free.  racy_reqmap with the insert moved under the registry
 * lock: registry_record() looks the tenant's table up and inserts into it
 * in one critical section, so the dispatcher's admission check, which
 * sums the tables' counts under the same lock, never overlaps an insert.
 *
 *   free_reqmap [SECONDS]
 */
#include <string.h>

#include "corpus.h"

#define SLOTS 1024
#define MAX_OPEN (CORPUS_INFLIGHT * SLOTS * 3 / 8)

struct sessions {
	unsigned long key[SLOTS];	/* 0: empty */
	unsigned long val[SLOTS];
	unsigned long count;
};

static struct {
	pthread_mutex_t lock;
	struct sessions *tenant[CORPUS_INFLIGHT];
} registry = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct sessions tables[CORPUS_INFLIGHT];
static unsigned long shed;	/* dispatcher only */

static unsigned long registry_open(void)
{
	unsigned long n = 0;

	pthread_mutex_lock(&registry.lock);
	for (unsigned int t = 0; t < CORPUS_INFLIGHT; t++)
		n += registry.tenant[t]->count;
	pthread_mutex_unlock(&registry.lock);
	return n;
}

static void session_open(struct sessions *s, unsigned long key, unsigned long val)
{
	for (unsigned int p = 0, i = key % SLOTS; p < SLOTS; p++, i = (i + 1) % SLOTS) {
		if (s->key[i] == key) {
			s->val[i] = val;
			return;
		}
		if (!s->key[i]) {
			s->key[i] = key;
			s->val[i] = val;
			s->count++;
			return;
		}
	}
}

static void registry_record(unsigned int tenant, unsigned long key, unsigned long val)
{
	pthread_mutex_lock(&registry.lock);
	session_open(registry.tenant[tenant], key, val);
	pthread_mutex_unlock(&registry.lock);
}

/* In the dispatcher, while no request of the tenant is in flight. */
static void admit(unsigned long id, unsigned int tenant)
{
	(void)id;
	pthread_mutex_lock(&registry.lock);
	if (registry.tenant[tenant]->count >= SLOTS / 2)
		memset(registry.tenant[tenant], 0, sizeof(struct sessions));
	pthread_mutex_unlock(&registry.lock);
	if (registry_open() >= MAX_OPEN)
		shed++;
}

static unsigned long handle(unsigned long id, unsigned int tenant)
{
	char req[128];
	unsigned long h;

	h = corpus_hash(req, corpus_render(req, sizeof(req), id));
	registry_record(tenant, id + 1, h);
	return corpus_hash(req, sizeof(req) / 4) + h;
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	for (unsigned int t = 0; t < CORPUS_INFLIGHT; t++)
		registry.tenant[t] = &tables[t];
	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, admit, &sum);
	printf("free_reqmap: %lu requests, %lu shed (%lx)\n",
	       requests, shed, sum & 0xff);
	return 0;
}
