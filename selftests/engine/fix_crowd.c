// SPDX-License-Identifier: GPL-2.0
/*
 * fix_racy's race in a crowd: 40 more threads sleep for the process's
 * life, as a pool's idle workers do.  Created before main(), so they
 * exist when the tracer attaches.
 */
#include "fixture.h"

#define NR_SLEEPERS	40

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

__attribute__((constructor)) static void crowd(void)
{
	pthread_t th;
	int i;

	for (i = 0; i < NR_SLEEPERS; i++)
		if (pthread_create(&th, NULL, sleeper, NULL)) {
			fprintf(stderr, "fix_crowd: pthread_create failed\n");
			exit(1);
		}
}

FIX_PAIR("movq %rax, shared_word(%rip)", RACETRAP_ACCESS_WRITE, 0,
	 "addq $1, shared_word(%rip)", RACETRAP_ACCESS_RMW, 0, false)
