// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's "service": tellers move money between accounts, each
 * transfer under both accounts' locks, while an auditor sums all balances
 * to check that no money was created or lost.  The auditor forgot the
 * locks: it reads balances while tellers write them, a data race that a
 * happens-before detector would flag in a test build and that racetrap
 * catches in this unmodified -O2 binary.
 *
 *   bank [SECONDS]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NR_ACCOUNTS 8
#define NR_TELLERS 2

struct account {
	pthread_mutex_t lock;
	long balance;
};

static struct account accounts[NR_ACCOUNTS];
static volatile int stop;

static void transfer(struct account *from, struct account *to, long amount)
{
	struct account *first = from < to ? from : to;
	struct account *second = from < to ? to : from;

	pthread_mutex_lock(&first->lock);
	pthread_mutex_lock(&second->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&second->lock);
	pthread_mutex_unlock(&first->lock);
}

static void *teller(void *arg)
{
	unsigned int seed = (unsigned int)(long)arg;

	while (!stop) {
		int a = rand_r(&seed) % NR_ACCOUNTS;
		int b = (a + 1 + rand_r(&seed) % (NR_ACCOUNTS - 1)) % NR_ACCOUNTS;

		transfer(&accounts[a], &accounts[b], rand_r(&seed) % 100);
	}
	return NULL;
}

/* The bug: no locks, so it reads balances mid-transfer. */
static long audit_total(void)
{
	long total = 0;

	for (int i = 0; i < NR_ACCOUNTS; i++)
		total += *(volatile long *)&accounts[i].balance;
	return total;
}

static void *auditor(void *arg)
{
	long audits = 0, wrong = 0;

	(void)arg;
	while (!stop) {
		if (audit_total() != NR_ACCOUNTS * 1000L)
			wrong++;
		audits++;
	}
	printf("bank: %ld audits, %ld saw money appear or vanish\n",
	       audits, wrong);
	return NULL;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 30;
	pthread_t tellers[NR_TELLERS], audit;

	for (int i = 0; i < NR_ACCOUNTS; i++) {
		pthread_mutex_init(&accounts[i].lock, NULL);
		accounts[i].balance = 1000;
	}
	for (long i = 0; i < NR_TELLERS; i++)
		pthread_create(&tellers[i], NULL, teller, (void *)(i + 1));
	pthread_create(&audit, NULL, auditor, NULL);
	printf("bank: pid %d serving for %d s\n", getpid(), seconds);
	fflush(stdout);
	sleep(seconds);
	stop = 1;
	for (int i = 0; i < NR_TELLERS; i++)
		pthread_join(tellers[i], NULL);
	pthread_join(audit, NULL);
	return 0;
}
