// SPDX-License-Identifier: GPL-2.0
/*
 * Category: a mutex copied by value, so each side locks its own copy.
 * Label: racy.  struct account carries its lock and a pointer to the
 * balance; deposit() and audit() take the account by value, so each call
 * locks a fresh copy of the mutex on its own stack and nothing excludes
 * the other thread's access to the one shared balance.
 *
 *   racy_mutexcopy [SECONDS]
 */
#include "corpus.h"

struct account {
	pthread_mutex_t lock;
	long *balance;
};

static long balance;
static struct account acct = { PTHREAD_MUTEX_INITIALIZER, &balance };

__attribute__((noinline)) static void deposit(struct account a, long amount)
{
	pthread_mutex_lock(&a.lock);	/* BUG: the copy's lock */
	*a.balance += amount;	// RACE: mutexcopy A
	pthread_mutex_unlock(&a.lock);
}

__attribute__((noinline)) static long audit(struct account a)
{
	long v;

	pthread_mutex_lock(&a.lock);
	v = *a.balance;	// RACE: mutexcopy B
	pthread_mutex_unlock(&a.lock);
	return v;
}

static void *teller(void *arg)
{
	(void)arg;
	do {
		for (int n = 0; n < 4096; n++)
			deposit(acct, 1);
	} while (!corpus_expired());
	return NULL;
}

static void *auditor(void *arg)
{
	long *seen = arg;

	do {
		for (int n = 0; n < 4096; n++)
			*seen += audit(acct) & 1;
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	long seen = 0;
	pthread_t t, a;

	corpus_start(argc, argv);
	t = corpus_spawn(teller, NULL);
	a = corpus_spawn(auditor, &seen);
	pthread_join(t, NULL);
	pthread_join(a, NULL);
	printf("racy_mutexcopy: balance %ld, %ld odd audits\n", balance, seen);
	return 0;
}
