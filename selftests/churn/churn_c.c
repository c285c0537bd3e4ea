// SPDX-License-Identifier: GPL-2.0
/*
 * churn_c [SECONDS]: a race-free C service in miniature, for the churn
 * soak (test_churn.sh).  The main thread starts a thread per request, at
 * most 8 in flight; each builds a malloc'd hash table of malloc'd
 * strings, frees it, recurses through 64 frames of 512 bytes of stack,
 * and adds its result to a total under a mutex.  glibc (2.35+) registers
 * an rseq area for every thread it creates, so each thread's creation and
 * exit also goes through the kernel's rseq paths.  Every result is
 * computed again by the main thread, so a corrupted heap, stack or
 * register shows as a wrong sum: exit 1.  Exit 0 prints "churn_c: ok
 * REQUESTS".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INFLIGHT	8
#define BUCKETS		31

struct entry {
	struct entry *next;
	char *key;
	uint64_t val;
};

struct req {
	pthread_t thread;
	uint64_t id;
	int busy;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;
static uint64_t total;

static uint64_t deep(int level, uint64_t seed)
{
	volatile uint64_t pad[64];
	int i;

	for (i = 0; i < 64; i++)
		pad[i] = seed + (uint64_t)i * level;
	if (level == 0)
		return pad[63];
	return deep(level - 1, pad[level % 64]) ^ pad[0];
}

static uint64_t request(uint64_t id)
{
	struct entry *table[BUCKETS] = { 0 }, *e;
	uint64_t sum = 0, i;
	char key[32];

	for (i = 0; i < 64; i++) {
		snprintf(key, sizeof(key), "item-%llu",
			 (unsigned long long)((id + i) % 97));
		e = malloc(sizeof(*e));
		if (!e || !(e->key = strdup(key)))
			abort();
		e->val = id * i;
		e->next = table[(id + i) % BUCKETS];
		table[(id + i) % BUCKETS] = e;
	}
	for (i = 0; i < BUCKETS; i++) {
		while ((e = table[i])) {
			table[i] = e->next;
			sum += e->val + strlen(e->key);
			free(e->key);
			free(e);
		}
	}
	return sum + deep(64, id);
}

static void *serve(void *arg)
{
	struct req *r = arg;
	uint64_t v = request(r->id);

	pthread_mutex_lock(&lock);
	total += v;
	r->busy = 0;
	pthread_cond_signal(&freed);
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	struct req reqs[INFLIGHT] = { 0 };
	int secs = argc > 1 ? atoi(argv[1]) : 10;
	uint64_t id = 0, want = 0;
	time_t end = time(NULL) + (secs > 0 ? secs : 10);
	int i;

	while (time(NULL) < end) {
		pthread_mutex_lock(&lock);
		for (;;) {
			for (i = 0; i < INFLIGHT && reqs[i].busy; i++)
				;
			if (i < INFLIGHT)
				break;
			pthread_cond_wait(&freed, &lock);
		}
		pthread_mutex_unlock(&lock);
		/* The slot's last thread has finished with it: join it. */
		if (reqs[i].id)
			pthread_join(reqs[i].thread, NULL);
		reqs[i].id = ++id;
		reqs[i].busy = 1;
		want += request(id);
		if (pthread_create(&reqs[i].thread, NULL, serve, &reqs[i]))
			abort();
	}
	for (i = 0; i < INFLIGHT; i++)
		if (reqs[i].id)
			pthread_join(reqs[i].thread, NULL);
	if (total != want) {
		printf("churn_c: total %llu, expected %llu over %llu requests\n",
		       (unsigned long long)total, (unsigned long long)want,
		       (unsigned long long)id);
		return 1;
	}
	printf("churn_c: ok %llu\n", (unsigned long long)id);
	return 0;
}
