/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the host unit tests: where the test data binaries
 * are, running one of them as a live process, running a command and
 * reading its output.  Header-only: every test is one binary.
 */
#ifndef RT_TESTLIB_H
#define RT_TESTLIB_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../selftests/lib/ktap.h"

/* @rel (e.g. "../data/sample_c") from this test's directory, if runnable. */
static inline int test_build_path(const char *rel, char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (snprintf(buf, len, "%s/%s", self, rel) >= (int)len)
		return -1;
	return access(buf, X_OK) ? -1 : 0;
}

/* build/tests/userspace/test_x -> build/tests/data/NAME */
static inline int test_data_path(const char *name, char *buf, size_t len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "../data/%s", name);
	return test_build_path(rel, buf, len);
}

/* build/tests/userspace/test_x -> build/bin/NAME */
static inline int test_bin_path(const char *name, char *buf, size_t len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "../../bin/%s", name);
	return test_build_path(rel, buf, len);
}

/*
 * Run @path with @argv, its stdout and stderr together into @out; its
 * exit status, or -1 if it did not exit.
 */
static inline int test_run(const char *path, char *const argv[], char *out,
			   size_t len)
{
	int pfd[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		dup2(pfd[1], 1);
		close(pfd[0]);
		execv(path, argv);
		_exit(99);
	}
	close(pfd[1]);
	while ((size_t)got + 1 < len &&
	       (n = read(pfd[0], out + got, len - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A test-data program run with "wait": alive until test_proc_stop(). */
struct test_proc {
	pid_t pid;
	int in_fd;	/* its stdin: closing it lets it exit */
};

static inline int test_proc_start(const char *path, struct test_proc *p)
{
	int in[2], out[2];
	char buf[256];
	size_t got = 0;

	/* CLOEXEC: a second test process must not hold this one's stdin. */
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, "wait", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	p->in_fd = in[1];
	/* Wait for "ready": the program is past start-up and blocked. */
	while (got < sizeof(buf) - 1) {
		ssize_t n = read(out[0], buf + got, sizeof(buf) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "ready\n"))
			break;
	}
	close(out[0]);
	return strstr(buf, "ready\n") ? 0 : -1;
}

static inline void test_proc_stop(struct test_proc *p)
{
	int st;

	close(p->in_fd);
	waitpid(p->pid, &st, 0);
}

/* Does @s hold a C0 control character or DEL (rt_strip_controls())? */
static inline bool test_has_controls(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Run a shell command; its whole stdout, malloc'ed, or NULL. */
static inline char *test_capture(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			char *b;

			cap = (len + n + 1) * 2;
			b = realloc(buf, cap);
			if (!b) {
				free(buf);
				pclose(f);
				return NULL;
			}
			buf = b;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	if (pclose(f) != 0 || !buf) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

#endif /* RT_TESTLIB_H */
