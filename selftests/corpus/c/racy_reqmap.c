// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a table handed out under a lock, then written without it,
 * once per request.
 * Label: racy.  The registry keeps one session table (open addressing)
 * per tenant.  registry_sessions() looks a tenant's table up under the
 * registry lock and returns it; the caller then inserts into it without
 * the lock, as if the lock had come with the table.  A thread per request
 * (at most four in flight, one per tenant: a tenant's requests never
 * overlap) opens its session once: an insert whose count++ (A) races
 * with the dispatcher's admission check, which sums the tables' counts
 * under the registry lock (B) before every request.  The dispatcher also
 * starts a tenant's table afresh, between two of its requests, when it is
 * half full.
 *
 *   racy_reqmap [SECONDS]
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

/* BUG: the lock covers finding the table, not using it. */
static struct sessions *registry_sessions(unsigned int tenant)
{
	struct sessions *s;

	pthread_mutex_lock(&registry.lock);
	s = registry.tenant[tenant];
	pthread_mutex_unlock(&registry.lock);
	return s;
}

static unsigned long registry_open(void)
{
	unsigned long n = 0;

	pthread_mutex_lock(&registry.lock);
	for (unsigned int t = 0; t < CORPUS_INFLIGHT; t++)
		n += registry.tenant[t]->count;	// RACE: reqmap B
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
			s->count++;	// RACE: reqmap A
			return;
		}
	}
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
	session_open(registry_sessions(tenant), id + 1, h);
	return corpus_hash(req, sizeof(req) / 4) + h;
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	for (unsigned int t = 0; t < CORPUS_INFLIGHT; t++)
		registry.tenant[t] = &tables[t];
	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, admit, &sum);
	printf("racy_reqmap: %lu requests, %lu shed (%lx)\n",
	       requests, shed, sum & 0xff);
	return 0;
}
