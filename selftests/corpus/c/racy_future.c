// SPDX-License-Identifier: GPL-2.0
/*
 * Category: shared memory mixed with message passing: a future whose
 * result is written on completion and on timeout.
 * Label: racy.  A worker computes into fut.result and announces completion
 * by writing a byte into a pipe; the caller polls the pipe with a 1 ms
 * timeout and, on timeout, stores its fallback into fut.result itself,
 * while the worker still writes it.  Only the pipe byte orders the two
 * sides, and the timeout path never read it.  (The caller drains the pipe
 * afterwards so that one request is in flight at a time.)
 *
 *   racy_future [SECONDS]
 */
#include <poll.h>
#include <unistd.h>

#include "corpus.h"

#define WORK_NS 2000000L	/* the worker needs 2 ms; the caller waits 1 ms */
#define TIMED_OUT -1L

static struct future {
	long result;
} fut;
static int req_pipe[2], done_pipe[2];

static long elapsed_ns(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - from->tv_sec) * 1000000000L + now.tv_nsec - from->tv_nsec;
}

static void *worker(void *arg)
{
	char c;

	(void)arg;
	while (read(req_pipe[0], &c, 1) == 1 && c == 'r') {
		struct timespec start;

		clock_gettime(CLOCK_MONOTONIC, &start);
		do {
			for (int k = 0; k < 256; k++)
				PLAIN_STORE(fut.result, PLAIN_LOAD(fut.result) * 31 + k);	// RACE: future A
		} while (elapsed_ns(&start) < WORK_NS);
		if (write(done_pipe[1], "d", 1) != 1)
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long timeouts = 0, calls = 0;
	pthread_t w;
	char c;

	corpus_start(argc, argv);
	if (pipe(req_pipe) || pipe(done_pipe)) {
		perror("pipe");
		return 1;
	}
	w = corpus_spawn(worker, NULL);
	while (!corpus_expired()) {
		struct pollfd p = { .fd = done_pipe[0], .events = POLLIN };

		if (write(req_pipe[1], "r", 1) != 1)
			return 1;
		calls++;
		if (poll(&p, 1, 1) == 0) {
			PLAIN_STORE(fut.result, TIMED_OUT);	// RACE: future B
			timeouts++;
		}
		if (read(done_pipe[0], &c, 1) != 1)	/* one request in flight */
			return 1;
	}
	if (write(req_pipe[1], "q", 1) != 1)
		return 1;
	pthread_join(w, NULL);
	printf("racy_future: %ld calls, %ld timeouts\n", calls, timeouts);
	return 0;
}
