// SPDX-License-Identifier: GPL-2.0
/*
 * Yama's ptrace_scope 3 forbids every ptrace attach, root's too, and once
 * set it stays until reboot.  So does racetrap's attach: the kernel's open
 * of /proc/PID/mem is refused.  A final_* test: /selftests/run runs it
 * after every suite's tests, since nothing can attach after it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "attach.h"
#include "ktap.h"
#include "users.h"

#define OUT	"/tmp/final_yama_scope3.out"
#define PLAN	6

int main(int argc, char **argv)
{
	char self[PATH_MAX], pid[16], want[48];
	int dev, early, st;
	pid_t t;
	ssize_t n;

	if (argc == 2 && !strcmp(argv[1], "true"))
		return 0;
	ktap_start(PLAN);
	if (rt_yama_scope() < 0) {
		ktap_skip_rest("no Yama: " RT_YAMA_SCOPE " absent (CONFIG_SECURITY_YAMA off or not in CONFIG_LSM)");
		return ktap_finish();
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	t = rt_sleeper(0, 1);
	dev = open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);
	/* Opened while ptrace was allowed: the proof it holds stays. */
	early = rt_open_mem(t);

	EXPECT_TRUE(rt_yama_set(3), "yama3_set", "ptrace_scope is %d",
		    rt_yama_scope());
	EXPECT_TRUE(!rt_yama_set(0) && rt_yama_scope() == 3,
		    "yama3_cannot_be_lowered", "ptrace_scope is %d",
		    rt_yama_scope());
	EXPECT_ERRNO(EACCES, rt_attach(dev, t), "yama3_root_refused");

	snprintf(pid, sizeof(pid), "%d", (int)t);
	st = rt_run_as(0, (char *const[]){ "racetrap", "attach", "--duration",
		"2", pid, NULL }, OUT);
	snprintf(want, sizeof(want), "not allowed to trace PID %d", (int)t);
	EXPECT_TRUE(st == 1 && rt_file_has(OUT, want),
		    "yama3_root_cli_refused", "exit status %d", st);
	st = rt_run_as(0, (char *const[]){ "racetrap", "run", "--", self,
		"true", NULL }, OUT);
	if (!st)
		rt_file_diag(OUT);
	EXPECT_TRUE(st != 0, "yama3_root_run_refused", "exit status %d", st);

	/* As an existing ptrace attachment survives a scope change. */
	EXPECT_OK(rt_attach_mem(dev, t, early), "yama3_mem_fd_opened_before_still_proves");
	close(early);
	close(dev);
	rt_reap(t);
	unlink(OUT);
	return ktap_finish();
}
