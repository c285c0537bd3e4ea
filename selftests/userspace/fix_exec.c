// SPDX-License-Identifier: GPL-2.0
/*
 * A wrapper, like a service's start script: exec the program it is given.
 *
 *   fix_exec PROGRAM [ARG...]
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: fix_exec PROGRAM [ARG...]\n");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
