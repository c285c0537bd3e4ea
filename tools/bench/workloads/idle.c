// SPDX-License-Identifier: GPL-2.0
/*
 * idle: a process with N threads (default 1, counting main) that do
 * nothing, for measuring what an attachment costs in kernel memory
 * without the noise of a running workload.  Prints "ready" once every
 * thread exists, then sleeps until killed.
 *
 *   idle [-n THREADS]
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include "common.h"

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	pthread_t t;

	bench_parse(argc, argv, &o, 1);
	for (int i = 1; i < o.threads; i++) {
		if (pthread_create(&t, NULL, sleeper, NULL)) {
			perror("pthread_create");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
