// SPDX-License-Identifier: GPL-2.0
/*
 * Held-out (tools/bench/experiments/heldout/run): one of the corpus's
 * kinds in a per-request shape the corpus does not have.
 * Category: partial locking, once per request.
 * Label: racy.  A session's counter is updated under its mutex, its
 * last-seen id after the unlock; the next request reads it under the lock.
 *
 *   racy_hpartial [SECONDS]
 */
#include "corpus.h"

static struct {
	pthread_mutex_t lock;
	unsigned long requests;
	unsigned long last_id;
} sess = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned long handle(unsigned long id, unsigned int slot)
{
	char req[128], reply[64];
	unsigned long h, prev;

	h = corpus_hash(req, corpus_render(req, sizeof(req), id));
	pthread_mutex_lock(&sess.lock);
	sess.requests++;
	prev = PLAIN_LOAD(sess.last_id);	// RACE: hpartial B
	pthread_mutex_unlock(&sess.lock);
	PLAIN_STORE(sess.last_id, id);	// RACE: hpartial A
	snprintf(reply, sizeof(reply), "HTTP/1.1 200 OK\r\nETag: %lx %lu\r\n",
		 h, prev);
	(void)slot;
	return corpus_hash(reply, sizeof(reply) / 4);
}

int main(int argc, char **argv)
{
	unsigned long sum = 0, requests;

	corpus_start(argc, argv);
	requests = corpus_dispatch(handle, NULL, &sum);
	printf("racy_hpartial: %lu requests (%lx)\n", requests, sum & 0xff);
	return 0;
}
