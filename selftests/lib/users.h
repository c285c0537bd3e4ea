/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running parts of a selftest as another user (the guest has root, "user"
 * 1000 and "nobody" 65534): a process that sleeps as some user, a
 * function run in a child as some user whose KTAP results count in the
 * parent's plan, a command run as some user, and sysctls such as Yama's
 * ptrace_scope.
 */
#ifndef RACETRAP_USERS_H
#define RACETRAP_USERS_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ktap.h"

#define RT_UID_USER	1000
#define RT_UID_NOBODY	65534

#define RT_YAMA_SCOPE	"/proc/sys/kernel/yama/ptrace_scope"
#define RT_PERF_PARANOID "/proc/sys/kernel/perf_event_paranoid"

/*
 * Become @uid (and the group of the same number), no other groups, and
 * dumpable again (the uid change cleared it) as a process started by that
 * user is: a non-dumpable one could not even open its own /proc/self/mem.
 */
static inline bool rt_become(uid_t uid)
{
	if (uid == 0)
		return true;
	return !setgroups(0, NULL) && !setgid(uid) && !setuid(uid) &&
	       !prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * A process that sleeps until killed, as @uid, dumpable or not.  Returns
 * its pid once it is set up, or -1.
 */
static inline pid_t rt_sleeper(uid_t uid, int dumpable)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[0]);
		if (!rt_become(uid))
			_exit(1);
		/* A uid change made it non-dumpable; set what the test wants. */
		if (prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

static inline void rt_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * Run @fn(@arg) in a child as @uid.  It reports with the ktap_* calls,
 * and its results count in this process's plan.  A child that dies
 * before it is done is one failure more.
 */
static inline void rt_as_user(uid_t uid, void (*fn)(void *), void *arg,
			      const char *what)
{
	struct counts {
		int nr, failed, done;
	} *c;
	int status;
	pid_t pid;

	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED) {
		ktap_result(false, what);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		if (!rt_become(uid)) {
			ktap_diag("%s: cannot become uid %u: %s", what, uid,
				  strerror(errno));
			_exit(1);
		}
		fn(arg);
		fflush(stdout);
		c->nr = ktap_nr;
		c->failed = ktap_failed;
		c->done = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !c->done) {
		ktap_diag("%s: the child as uid %u did not finish", what, uid);
		ktap_result(false, what);
	} else {
		ktap_nr = c->nr;
		ktap_failed = c->failed;
	}
	munmap(c, sizeof(*c));
}

/*
 * Run @argv as @uid with stdout and stderr to @out; returns its exit
 * status (128 + N if killed by signal N), -1 if it could not be run.
 */
static inline int rt_run_as(uid_t uid, char *const argv[], const char *out)
{
	int status, fd;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(125);
		if (!rt_become(uid))
			_exit(125);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Does file @path contain @needle?  Its text goes to the diagnostics. */
static inline bool rt_file_has(const char *path, const char *needle)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = 0;
	if (!strstr(buf, needle)) {
		ktap_diag("%s has no \"%s\"; it holds:", path, needle);
		ktap_diag("%s", buf);
		return false;
	}
	return true;
}

/* File @path's text into the diagnostics. */
static inline void rt_file_diag(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		ktap_diag("%s", line);
	}
	fclose(f);
}

/* Yama's ptrace_scope, or -1 without Yama. */
/* The integer in /proc/sys file @path, or -1. */
static inline int rt_sysctl_get(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Write @v to /proc/sys file @path; true if it holds @v afterwards. */
static inline bool rt_sysctl_set(const char *path, int v)
{
	FILE *f = fopen(path, "we");
	bool ok;

	if (!f)
		return false;
	ok = fprintf(f, "%d\n", v) > 0;
	ok = !fclose(f) && ok;
	return ok && rt_sysctl_get(path) == v;
}

static inline int rt_yama_scope(void)
{
	return rt_sysctl_get(RT_YAMA_SCOPE);
}

static inline bool rt_yama_set(int scope)
{
	return rt_sysctl_set(RT_YAMA_SCOPE, scope);
}

#endif /* RACETRAP_USERS_H */
