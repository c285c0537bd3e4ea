// SPDX-License-Identifier: GPL-2.0
/*
 * ATTACH: the errors for missing, kernel and already-traced processes.
 * Who may attach (the /proc/PID/mem proof) is abi/test_perm's.
 */
#define _GNU_SOURCE
#include "engine.h"

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
	int fd = rt_open(), fd2 = rt_open(), self = rt_open_mem(getpid());
	struct fx f;
	pid_t tid;

	/* A valid mem file, so that the pid is what is wrong. */
	EXPECT_ERRNO(ESRCH, rt_attach_mem(fd, unused_pid(), self),
		     "attach_no_such_pid");
	EXPECT_ERRNO(EINVAL, rt_attach_mem(fd, 0, self), "attach_pid_0");
	EXPECT_ERRNO(EINVAL, rt_attach_mem(fd, -1, self), "attach_pid_negative");
	EXPECT_ERRNO(EINVAL, rt_attach_mem(fd, 2, self), "attach_kernel_thread");
	close(self);
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
	ktap_start(11);
	errors();
	return ktap_finish();
}
