// SPDX-License-Identifier: GPL-2.0
/*
 * ATTACH: the ptrace-attach permission rule (checked from an unprivileged
 * user with the device opened to everyone, as an admin might), and the
 * errors for missing, kernel and already-traced processes.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/prctl.h>
#include "engine.h"

#define USER_ID	1000

/*
 * A process that sleeps until killed, as root or as USER_ID, dumpable or
 * not.  Returns once it is set up.
 */
static pid_t sleeper(bool as_user, int dumpable)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[0]);
		if (as_user && (setgroups(0, NULL) || setgid(USER_ID) ||
				setuid(USER_ID)))
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
	if (read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ATTACH to @target as USER_ID; returns 0 or the errno. */
static int attach_as_user(pid_t target)
{
	int status, fd;
	pid_t pid = fork();

	if (!pid) {
		if (setgroups(0, NULL) || setgid(USER_ID) || setuid(USER_ID))
			_exit(200);
		fd = rt_open();
		if (fd < 0)
			_exit(201);
		_exit(rt_attach(fd, target) ? errno : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void expect_user(int want, pid_t target, const char *name)
{
	int got = attach_as_user(target);

	if (got != want)
		ktap_diag("%s: got %d (%s), want %d (%s)", name, got,
			  got > 0 && got < 200 ? strerror(got) : "setup failed",
			  want, strerror(want));
	ktap_result(got == want, name);
}

static void permissions(void)
{
	pid_t root_t, user_t, nodump_t;
	struct stat st;
	int fd;

	if (stat(RACETRAP_DEVICE, &st) || chmod(RACETRAP_DEVICE, 0666)) {
		ktap_skip("perm_*", "cannot widen the device's mode");
		return;
	}
	root_t = sleeper(false, 1);
	user_t = sleeper(true, 1);
	nodump_t = sleeper(true, 0);
	if (root_t < 0 || user_t < 0 || nodump_t < 0)
		ktap_diag("sleepers did not start");
	expect_user(EPERM, root_t, "perm_user_to_root");
	expect_user(EPERM, nodump_t, "perm_user_to_own_nondumpable");
	expect_user(0, user_t, "perm_user_to_own_dumpable");
	/* CAP_SYS_PTRACE overrides both. */
	fd = rt_open();
	EXPECT_OK(rt_attach(fd, nodump_t), "perm_root_to_nondumpable");
	close(fd);
	chmod(RACETRAP_DEVICE, st.st_mode & 07777);
	reap(root_t);
	reap(user_t);
	reap(nodump_t);
}

/* A pid that names no process: one of a child we already reaped. */
static pid_t unused_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void errors(void)
{
	int fd = rt_open(), fd2 = rt_open();
	struct fx f;
	pid_t tid;

	EXPECT_ERRNO(ESRCH, rt_attach(fd, unused_pid()), "attach_no_such_pid");
	EXPECT_ERRNO(EINVAL, rt_attach(fd, 0), "attach_pid_0");
	EXPECT_ERRNO(EINVAL, rt_attach(fd, -1), "attach_pid_negative");
	EXPECT_ERRNO(EINVAL, rt_attach(fd, 2), "attach_kernel_thread");
	EXPECT_ERRNO(ENOENT, rt_detach(fd), "detach_unattached");
	if (!fx_start(&f, "racy")) {
		ktap_result(false, "fixture");
		return;
	}
	/* Any thread id names the whole process. */
	tid = fx_tid(&f, "b");
	EXPECT_OK(rt_attach(fd, tid), "attach_by_thread_id");
	EXPECT_ERRNO(EALREADY, rt_attach(fd, f.pid), "attach_twice_same_file");
	EXPECT_ERRNO(EBUSY, rt_attach(fd2, f.pid), "attach_second_tracer");
	EXPECT_OK(rt_detach(fd), "detach");
	EXPECT_OK(rt_attach(fd2, f.pid), "attach_after_detach");
	close(fd2);
	EXPECT_OK(rt_attach(fd, f.pid), "reattach_same_file");
	close(fd);
	fx_stop(&f);
}

int main(void)
{
	ktap_start(15);
	permissions();
	errors();
	return ktap_finish();
}
