// SPDX-License-Identifier: GPL-2.0
/*
 * Category: an err-style result variable assigned both inside and outside
 * a helper thread.
 * Label: racy.  mirror_all() keeps its status in a local `err` and starts
 * a helper thread to check the second half, passing &err so the helper can
 * "report" failures; then both check their halves and both store into err
 * with no lock.  The join orders only the final read.
 *
 *   racy_errvar [SECONDS]
 */
#include <errno.h>

#include "corpus.h"

/*
 * Big enough that the helper thread lives for several 10 ms clock-sampling
 * periods of its own CPU time: a thread that dies sooner is never sampled.
 */
#define HALF (4 << 20)

static unsigned char blocks[2 * HALF];	/* read-only after main starts */

static int check_block(unsigned char b)
{
	return b == 0xff ? -EIO : 0;
}

struct half {
	const unsigned char *from;
	int *err;
};

static void *check_second_half(void *arg)
{
	struct half *h = arg;

	for (int k = 0; k < HALF; k++)
		PLAIN_STORE(*h->err, check_block(h->from[k]));	// RACE: errvar A
	return NULL;
}

static int mirror_all(void)
{
	int err = 0;
	struct half h = { blocks + HALF, &err };
	pthread_t t = corpus_spawn(check_second_half, &h);

	for (int k = 0; k < HALF; k++)
		PLAIN_STORE(err, check_block(blocks[k]));	// RACE: errvar B
	pthread_join(t, NULL);
	return err;
}

int main(int argc, char **argv)
{
	long failures = 0;

	corpus_start(argc, argv);
	for (int k = 0; k < 2 * HALF; k++)
		blocks[k] = (unsigned char)(k * 7);
	while (!corpus_expired())
		failures += mirror_all() != 0;
	printf("racy_errvar: %ld failed mirrors\n", failures);
	return 0;
}
