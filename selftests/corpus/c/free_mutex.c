// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: every shared access under one mutex.
 * Label: race-free.  Two threads update and read `balance` only while
 * holding balance_lock.
 *
 *   free_mutex [SECONDS]
 */
#include "corpus.h"

static pthread_mutex_t balance_lock = PTHREAD_MUTEX_INITIALIZER;
static long balance;

static void *depositor(void *arg)
{
	(void)arg;
	do {
		for (int n = 0; n < 4096; n++) {
			pthread_mutex_lock(&balance_lock);
			balance += 2;
			pthread_mutex_unlock(&balance_lock);
		}
	} while (!corpus_expired());
	return NULL;
}

static void *withdrawer(void *arg)
{
	long *seen = arg;

	do {
		for (int n = 0; n < 2048; n++) {
			pthread_mutex_lock(&balance_lock);
			*seen += balance & 1;
			balance -= 1;
			pthread_mutex_unlock(&balance_lock);
		}
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	long seen = 0;
	pthread_t d, w;

	corpus_start(argc, argv);
	d = corpus_spawn(depositor, NULL);
	w = corpus_spawn(withdrawer, &seen);
	pthread_join(d, NULL);
	pthread_join(w, NULL);
	printf("free_mutex: balance %ld, %ld odd\n", balance, seen);
	return 0;
}
