/* SPDX-License-Identifier: GPL-2.0 */
/*
 * corpus.h: what every C corpus program shares: the run-for-SECONDS clock
 * (argv[1], default 10), thread start-up, and the label test's lock-order
 * switch.  The deadline is written before any thread starts and only read
 * afterwards, so it adds no race of its own.
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

/* Set only by the label test: see racy_lockorder.c. */
static inline int corpus_hb_order(void)
{
	return getenv("CORPUS_HB_ORDER") != NULL;
}

#endif
