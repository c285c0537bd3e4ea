// SPDX-License-Identifier: GPL-2.0
/*
 * timeto: how long until a command first prints a line containing TEXT
 * (case-insensitive), for the detection column: racetrap, ThreadSanitizer
 * and Go's race detector all print "data race" in their report header.
 * Runs COMMAND with stdout and stderr on a pipe, prints the seconds from
 * fork to the first matching line (or "timeout"), then sends SIGINT to
 * the command's process group, SIGKILL if it lingers, and reaps it.
 *
 *   timeto TEXT SECONDS COMMAND [ARG...]
 *
 * Exit status: 0 found, 3 timeout or the command ended first, 2 usage,
 * 1 error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Give the command's group SIGINT (racetrap prints its summary), then KILL. */
static void stop(pid_t pid)
{
	double deadline = now() + 5;
	int status;

	kill(-pid, SIGINT);
	while (now() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto reap_group;
		usleep(50000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
reap_group:
	kill(-pid, SIGKILL);
}

/* Feed @n bytes to the line matcher; true once a whole line matched. */
static int scan(const char *text, char *line, size_t *len, size_t cap,
		const char *buf, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (*len < cap - 1)
				line[(*len)++] = buf[i];
			continue;
		}
		line[*len] = '\0';
		*len = 0;
		if (strcasestr(line, text))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char line[4096], buf[4096];
	double limit, t0, found = -1;
	size_t len = 0;
	int fds[2];
	pid_t pid;
	char *end;

	if (argc < 4) {
		fprintf(stderr, "usage: timeto TEXT SECONDS COMMAND [ARG...]\n");
		return 2;
	}
	limit = strtod(argv[2], &end);
	if (*end || limit <= 0) {
		fprintf(stderr, "timeto: bad SECONDS '%s'\n", argv[2]);
		return 2;
	}
	if (pipe(fds)) {
		perror("timeto: pipe");
		return 1;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("timeto: fork");
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[3], argv + 3);
		perror("timeto: exec");
		_exit(127);
	}
	setpgid(pid, pid);
	close(fds[1]);
	for (;;) {
		double left = t0 + limit - now();
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		ssize_t n;
		int r;

		if (left <= 0)
			break;
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		n = read(fds[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		if (scan(argv[1], line, &len, sizeof(line), buf, n)) {
			found = now() - t0;
			break;
		}
	}
	stop(pid);
	if (found < 0) {
		printf("timeout\n");
		return 3;
	}
	printf("%.2f\n", found);
	return 0;
}
