// SPDX-License-Identifier: GPL-2.0
/*
 * Category: partial locking that a happens-before detector sees only
 * under one lock order.
 * Label: racy.  The updater stores `config_gen` outside any lock and then
 * takes big_lock for unrelated work; the reader takes big_lock for its own
 * work and then loads config_gen outside it.  When the updater's critical
 * section comes first, its unlock "orders" the store before the reader's
 * load and ThreadSanitizer stays silent; only when the reader's section
 * comes first does it see the race.  Nothing orders the two accesses in
 * either case, and a sampler catches them in either order.
 *
 * CORPUS_HB_ORDER set (the label test only): the reader runs one
 * iteration and idles 400 ms; the updater starts 200 ms late, so its
 * first store lands in that pause, after the reader's section and load
 * and unordered with them, and the happens-before verdict no longer
 * depends on scheduling (nor on the detector's bounded history).
 *
 *   racy_lockorder [SECONDS]
 */
#include <unistd.h>

#include "corpus.h"

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static long config_gen;
static long work[2];	/* guarded by big_lock */

static void *updater(void *arg)
{
	(void)arg;
	if (corpus_hb_order())
		usleep(200000);
	do {
		for (long n = 0; n < 4096; n++) {
			PLAIN_STORE(config_gen, n);	// RACE: lockorder A
			pthread_mutex_lock(&big_lock);
			work[0]++;
			pthread_mutex_unlock(&big_lock);
		}
	} while (!corpus_expired());
	return NULL;
}

static void *reader(void *arg)
{
	long *seen = arg;

	do {
		for (int n = 0; n < 4096; n++) {
			pthread_mutex_lock(&big_lock);
			work[1]++;
			pthread_mutex_unlock(&big_lock);
			*seen += PLAIN_LOAD(config_gen);	// RACE: lockorder B
			if (n == 0 && *seen == 0 && corpus_hb_order())
				usleep(400000);
		}
	} while (!corpus_expired());
	return NULL;
}

int main(int argc, char **argv)
{
	long seen = 0;
	pthread_t u, r;

	corpus_start(argc, argv);
	r = corpus_spawn(reader, &seen);
	u = corpus_spawn(updater, NULL);
	pthread_join(u, NULL);
	pthread_join(r, NULL);
	printf("racy_lockorder: seen %ld\n", seen);
	return 0;
}
