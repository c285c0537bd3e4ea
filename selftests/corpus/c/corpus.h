/* SPDX-License-Identifier: GPL-2.0 */
/*
 * corpus.h: what every C corpus program shares: the run-for-SECONDS clock
 * (argv[1], default 10), thread start-up, the label test's lock-order
 * switch, and the dispatcher and request work of the per-request
 * programs.  The deadline is written before any thread starts and only
 * read afterwards, so it adds no race of its own.
 */
#ifndef CORPUS_H
#define CORPUS_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct timespec corpus_deadline;

static inline void corpus_start(int argc, char **argv)
{
	long s = argc > 1 ? strtol(argv[1], NULL, 10) : 10;

	clock_gettime(CLOCK_MONOTONIC, &corpus_deadline);
	corpus_deadline.tv_sec += s > 0 ? s : 10;
}

/* Racing loops call this every few thousand accesses, not every one. */
static inline int corpus_expired(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > corpus_deadline.tv_sec ||
	       (now.tv_sec == corpus_deadline.tv_sec &&
		now.tv_nsec >= corpus_deadline.tv_nsec);
}

static inline pthread_t corpus_spawn(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, arg)) {
		perror("pthread_create");
		exit(1);
	}
	return t;
}

/*
 * One plain load or store per evaluation: a volatile access is still an
 * ordinary mov (not atomic, not ordered), it only stops gcc -O2 from
 * hoisting a racing load out of its loop or merging a loop's stores into
 * one, which would leave no race to find at run time.
 */
#define PLAIN_LOAD(x) (*(const volatile __typeof__(x) *)&(x))
#define PLAIN_STORE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/*
 * The per-request programs (racy_req*.c, free_req*.c) start a detached
 * thread per request, as a thread-per-request server does, with at most
 * CORPUS_INFLIGHT in flight, and have each do a few microseconds of the
 * work a service does around its one shared access: format the request,
 * hash it (corpus_render(), corpus_hash()).
 *
 * corpus_dispatch() is their dispatcher.  It starts request after request
 * until the deadline, each in a free slot (0 to CORPUS_INFLIGHT - 1), and
 * calls handle(id, slot) in the new thread; before(id, slot), if not
 * NULL, runs in the dispatcher just before.  A slot is free again when
 * its handler has returned (a mutex hands it back, so a slot's requests
 * never overlap, while those of different slots do).  The handlers'
 * return values are summed into *sum, which keeps their work alive.
 * Returns the number of requests.  (Joining each thread instead would
 * wait for the whole thread exit: on the build host a create and join
 * took 150 to 370 us, a detached create 35 to 50 us.)
 */
#define CORPUS_INFLIGHT 4
#define CORPUS_HASH_ROUNDS 16

static inline size_t corpus_render(char *buf, size_t size, unsigned long id)
{
	int n = snprintf(buf, size,
			 "GET /v1/items/%lu?user=%lx HTTP/1.1\r\n"
			 "Host: corpus.example\r\nAccept: */*\r\n\r\n",
			 id, id * 2654435761UL);

	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* FNV-1a, CORPUS_HASH_ROUNDS times over the buffer: a few microseconds. */
static inline unsigned long corpus_hash(const char *buf, size_t len)
{
	unsigned long h = 14695981039346656037UL;

	for (int r = 0; r < CORPUS_HASH_ROUNDS; r++)
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)buf[i]) * 1099511628211UL;
	return h;
}

static struct corpus_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned long (*handle)(unsigned long id, unsigned int slot);
	unsigned long sum;
	unsigned int nfree;
	unsigned int free[CORPUS_INFLIGHT];
	struct corpus_slot {
		unsigned int slot;
		unsigned long id;	/* written before the thread starts */
	} slot[CORPUS_INFLIGHT];
} corpus_pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.freed = PTHREAD_COND_INITIALIZER,
};

static inline void *corpus_request(void *arg)
{
	struct corpus_slot *s = arg;
	unsigned long ret = corpus_pool.handle(s->id, s->slot);

	pthread_mutex_lock(&corpus_pool.lock);
	corpus_pool.sum += ret;
	corpus_pool.free[corpus_pool.nfree++] = s->slot;
	pthread_cond_signal(&corpus_pool.freed);
	pthread_mutex_unlock(&corpus_pool.lock);
	return NULL;
}

static inline unsigned long
corpus_dispatch(unsigned long (*handle)(unsigned long id, unsigned int slot),
		void (*before)(unsigned long id, unsigned int slot),
		unsigned long *sum)
{
	struct corpus_pool *p = &corpus_pool;
	pthread_attr_t attr;
	unsigned long id;
	pthread_t t;

	p->handle = handle;
	for (unsigned int k = 0; k < CORPUS_INFLIGHT; k++) {
		p->slot[k].slot = k;
		p->free[p->nfree++] = k;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (id = 0; !corpus_expired(); id++) {
		unsigned int k;

		pthread_mutex_lock(&p->lock);
		while (!p->nfree)
			pthread_cond_wait(&p->freed, &p->lock);
		k = p->free[--p->nfree];
		pthread_mutex_unlock(&p->lock);
		if (before)
			before(id, k);
		p->slot[k].id = id;
		if (pthread_create(&t, &attr, corpus_request, &p->slot[k])) {
			perror("pthread_create");
			exit(1);
		}
	}
	pthread_mutex_lock(&p->lock);
	while (p->nfree < CORPUS_INFLIGHT)
		pthread_cond_wait(&p->freed, &p->lock);
	*sum = p->sum;
	pthread_mutex_unlock(&p->lock);
	pthread_attr_destroy(&attr);
	return id;
}

/* Set only by the label test: see racy_lockorder.c. */
static inline int corpus_hb_order(void)
{
	return getenv("CORPUS_HB_ORDER") != NULL;
}

#endif
