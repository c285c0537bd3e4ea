// SPDX-License-Identifier: GPL-2.0
/*
 * Who may attach.  ATTACH takes a descriptor of the target's /proc/PID/mem
 * as the proof that the caller may ptrace-attach to it (the uapi header
 * says why), so racetrap allows exactly what ptrace allows.  Checked as an
 * unprivileged user with the device opened to everyone, as an admin might:
 * own processes allowed; another user's, root's and non-dumpable ones
 * refused; descriptors that are not the target's mem file refused; Yama's
 * ptrace_scope 1 and 2; a target that execs a setuid program after attach.
 * ptrace_scope 3 cannot be undone: final_yama_scope3 checks it last.
 *
 * Also run as this binary's helper programs: "sleep MS" (a command for
 * `racetrap run`) and "euid FD" (the setuid program: writes its euid to FD
 * and waits for the end of its standard input).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "attach.h"
#include "ktap.h"
#include "users.h"

#define OUT		"/tmp/test_perm.out"
#define SETUID_PROG	"/tmp/test_perm_setuid"
#define PLAN		30

static char self_exe[PATH_MAX];
static const char *racetrap = "racetrap";

static int helper(int argc, char **argv)
{
	char c;

	if (argc == 3 && !strcmp(argv[1], "sleep")) {
		usleep(atoi(argv[2]) * 1000);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "euid")) {
		uid_t euid = geteuid();

		if (write(atoi(argv[2]), &euid, sizeof(euid)) != sizeof(euid))
			return 1;
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	return 2;
}

static int dev_open(void)
{
	return open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);
}

/* ATTACH to @pid the way racetrap does; 0 or the errno. */
static int try_attach(pid_t pid)
{
	int dev = dev_open(), ret;

	if (dev < 0)
		return -1;
	ret = rt_attach(dev, pid) ? errno : 0;
	close(dev);
	return ret;
}

static void expect_attach(int want, pid_t pid, const char *name)
{
	int got = try_attach(pid);

	if (got != want)
		ktap_diag("%s: got %d (%s), want %d (%s)", name, got,
			  got > 0 ? strerror(got) : "no device", want,
			  strerror(want));
	ktap_result(got == want, name);
}

struct targets {
	pid_t root, user, nobody, user_nodump;
};

static void as_user_basic(void *arg)
{
	const struct targets *t = arg;
	int dev = dev_open(), mem;

	expect_attach(0, t->user, "perm_user_own_process_allowed");
	/* The kernel's open is the check: EACCES, as for ptrace. */
	expect_attach(EACCES, t->nobody, "perm_user_other_user_refused");
	expect_attach(EACCES, t->root, "perm_user_root_refused");
	expect_attach(EACCES, t->user_nodump, "perm_user_own_nondumpable_refused");
	/* A mem file the caller may have, for another process: EPERM. */
	mem = rt_open_mem(t->user);
	EXPECT_ERRNO(EPERM, rt_attach_mem(dev, t->root, mem),
		     "perm_user_own_mem_for_root_eperm");
	close(mem);
	mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	EXPECT_ERRNO(EPERM, rt_attach_mem(dev, t->nobody, mem),
		     "perm_user_self_mem_for_other_user_eperm");
	close(mem);
	close(dev);
}

static void basic(const struct targets *t)
{
	char pid[16];
	int st;

	rt_as_user(RT_UID_USER, as_user_basic, (void *)t, "perm_user_basic");
	/* CAP_SYS_PTRACE overrides dumpability, as for ptrace. */
	expect_attach(0, t->user_nodump, "perm_root_nondumpable_allowed");

	snprintf(pid, sizeof(pid), "%d", (int)t->root);
	st = rt_run_as(RT_UID_USER, (char *const[]){ (char *)racetrap,
		"attach", "--duration", "2", pid, NULL }, OUT);
	snprintf(pid, sizeof(pid), "PID %d", (int)t->root);
	EXPECT_TRUE(st == 1 && rt_file_has(OUT, "not allowed to trace") &&
		    rt_file_has(OUT, pid) &&
		    rt_file_has(OUT, "(ptrace rules: same user, Yama ptrace_scope, LSM)"),
		    "cli_user_attach_root_refused", "exit status %d", st);
	snprintf(pid, sizeof(pid), "%d", (int)t->user);
	st = rt_run_as(RT_UID_USER, (char *const[]){ (char *)racetrap,
		"attach", "--duration", "1", pid, NULL }, OUT);
	if (st)
		rt_file_diag(OUT);
	EXPECT_TRUE(st == 0, "cli_user_attach_own_ok", "exit status %d", st);
}

/* Descriptors that are not the target's mem file, as root. */
static void bogus_fds(const struct targets *t)
{
	static const char *const not_mem[] = { "environ", "auxv", "maps" };
	int dev = dev_open(), fd;
	char path[64], name[64];
	size_t i;

	EXPECT_ERRNO(EBADF, rt_attach_mem(dev, t->root, -1), "memfd_minus_one_ebadf");
	EXPECT_ERRNO(EBADF, rt_attach_mem(dev, t->root, rt_closed_fd()),
		     "memfd_closed_ebadf");

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)t->root);
	fd = open(path, O_PATH | O_CLOEXEC);
	EXPECT_ERRNO(EBADF, rt_attach_mem(dev, t->root, fd), "memfd_o_path_ebadf");
	close(fd);

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	EXPECT_ERRNO(EINVAL, rt_attach_mem(dev, t->root, fd), "memfd_dev_null_einval");
	close(fd);
	/* environ and auxv keep the target's mm too, checked for reading only. */
	for (i = 0; i < sizeof(not_mem) / sizeof(not_mem[0]); i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)t->root,
			 not_mem[i]);
		snprintf(name, sizeof(name), "memfd_%s_einval", not_mem[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		EXPECT_ERRNO(EINVAL, rt_attach_mem(dev, t->root, fd), name);
		close(fd);
	}

	fd = rt_open_mem(t->user);
	EXPECT_ERRNO(EPERM, rt_attach_mem(dev, t->root, fd),
		     "memfd_other_process_eperm");
	close(fd);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/mem", (int)t->root,
		 (int)t->root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	EXPECT_OK(rt_attach_mem(dev, t->root, fd), "memfd_task_mem_ok");
	close(fd);
	close(dev);
}

/* In a child of the caller: allowed under ptrace_scope 1, not 2. */
static int attach_own_child(void)
{
	pid_t child = fork();
	int ret;

	if (!child) {
		for (;;)
			pause();
	}
	ret = try_attach(child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return ret;
}

static void as_user_yama1(void *arg)
{
	const struct targets *t = arg;
	int got;

	/* Same user, but not a descendant. */
	expect_attach(EACCES, t->user, "yama1_nondescendant_refused");
	got = attach_own_child();
	EXPECT_TRUE(got == 0, "yama1_descendant_allowed", "errno %d (%s)", got,
		    strerror(got));
}

static void as_user_yama2(void *arg)
{
	int got = attach_own_child();

	(void)arg;
	EXPECT_TRUE(got == EACCES, "yama2_user_own_child_refused",
		    "errno %d (%s)", got, strerror(got));
}

/* Yama at 1, then 2, then back at @old. */
static void yama(const struct targets *t, int old)
{
	int st;
	char pid[16], want[32];

	if (old < 0) {
		const char *why = "no Yama: " RT_YAMA_SCOPE " absent (CONFIG_SECURITY_YAMA off or not in CONFIG_LSM)";

		ktap_skip("yama1_nondescendant_refused", why);
		ktap_skip("yama1_descendant_allowed", why);
		ktap_skip("yama1_cli_says_ptrace_rules", why);
		ktap_skip("yama1_racetrap_run_allowed", why);
		ktap_skip("yama2_user_own_child_refused", why);
		ktap_skip("yama2_root_allowed", why);
		ktap_skip("yama_scope_restored", why);
		return;
	}
	if (!rt_yama_set(1))
		ktap_diag("cannot set ptrace_scope 1");
	rt_as_user(RT_UID_USER, as_user_yama1, (void *)t, "yama1_as_user");
	snprintf(pid, sizeof(pid), "%d", (int)t->user);
	st = rt_run_as(RT_UID_USER, (char *const[]){ (char *)racetrap,
		"attach", "--duration", "2", pid, NULL }, OUT);
	snprintf(want, sizeof(want), "not allowed to trace PID %d", (int)t->user);
	EXPECT_TRUE(st == 1 && rt_file_has(OUT, want) &&
		    rt_file_has(OUT, "Yama ptrace_scope"),
		    "yama1_cli_says_ptrace_rules", "exit status %d", st);
	/* racetrap run's command is its child: allowed. */
	st = rt_run_as(RT_UID_USER, (char *const[]){ (char *)racetrap, "run",
		"--", self_exe, "sleep", "300", NULL }, OUT);
	if (st)
		rt_file_diag(OUT);
	EXPECT_TRUE(st == 0, "yama1_racetrap_run_allowed", "exit status %d", st);

	if (!rt_yama_set(2))
		ktap_diag("cannot set ptrace_scope 2");
	rt_as_user(RT_UID_USER, as_user_yama2, NULL, "yama2_as_user");
	expect_attach(0, t->user, "yama2_root_allowed");

	EXPECT_TRUE(rt_yama_set(old), "yama_scope_restored", "still %d",
		    rt_yama_scope());
}

/* Wait up to @ms for the END record; its end_reason, or -1. */
static int wait_end(int dev, int ms)
{
	struct racetrap_record rec;
	struct pollfd p = { .fd = dev, .events = POLLIN };

	while (poll(&p, 1, ms) == 1) {
		if (read(dev, &rec, sizeof(rec)) != sizeof(rec))
			return -1;
		if (rec.type == RACETRAP_REC_END)
			return rec.end_reason;
	}
	return -1;
}

/*
 * As the user: start a process, attach to it, let it exec a setuid-root
 * program.  The attachment must end with RACETRAP_END_EXEC, and the mem
 * file that proved the right must not prove it for the new image.
 */
static void as_user_setuid(void *arg)
{
	int go[2], ep[2], dev = dev_open(), mem, reason;
	uid_t euid = 1;
	pid_t t;
	char c;

	(void)arg;
	if (pipe(go) || pipe(ep)) {
		ktap_diag("pipe: %s", strerror(errno));
		return;		/* rt_as_user() counts the missing results */
	}
	t = fork();
	if (!t) {
		char fdarg[16];

		close(go[1]);
		close(ep[0]);
		if (read(go[0], &c, 1) != 1 || dup2(go[0], 0) < 0)
			_exit(1);
		snprintf(fdarg, sizeof(fdarg), "%d", ep[1]);
		execl(SETUID_PROG, SETUID_PROG, "euid", fdarg, (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(ep[1]);
	mem = rt_open_mem(t);
	EXPECT_OK(rt_attach_mem(dev, t, mem), "setuid_attach_before_exec");
	if (write(go[1], "x", 1) != 1)
		ktap_diag("cannot start the exec");
	EXPECT_TRUE(read(ep[0], &euid, sizeof(euid)) == sizeof(euid) &&
		    euid == 0, "setuid_exec_runs_as_root",
		    "euid %u: the exec did not gain root", euid);
	reason = wait_end(dev, 5000);
	EXPECT_TRUE(reason == RACETRAP_END_EXEC, "setuid_exec_ends_attachment",
		    "end reason %d, want %d (exec)", reason, RACETRAP_END_EXEC);
	EXPECT_ERRNO(EPERM, rt_attach_mem(dev, t, mem), "setuid_old_mem_fd_eperm");
	EXPECT_ERRNO(EACCES, rt_open_mem(t), "setuid_reopen_refused");
	close(mem);
	close(go[1]);	/* the program's stdin: it exits */
	waitpid(t, NULL, 0);
	close(ep[0]);
	close(dev);
}

static void setuid_exec(void)
{
	char cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "cp '%s' %s && chown 0:0 %s && chmod 4755 %s",
		 self_exe, SETUID_PROG, SETUID_PROG, SETUID_PROG);
	if (system(cmd)) {
		static const char *const names[] = {
			"setuid_attach_before_exec", "setuid_exec_runs_as_root",
			"setuid_exec_ends_attachment", "setuid_old_mem_fd_eperm",
			"setuid_reopen_refused",
		};
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			ktap_skip(names[i], "cannot make the setuid program");
		return;
	}
	rt_as_user(RT_UID_USER, as_user_setuid, NULL, "setuid_as_user");
	unlink(SETUID_PROG);
}

int main(int argc, char **argv)
{
	struct targets t;
	struct stat st;
	ssize_t n;
	int scope, paranoid;

	if (argc > 1)
		return helper(argc, argv);
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	self_exe[n > 0 ? n : 0] = 0;
	if (access("/usr/bin/racetrap", X_OK) == 0)
		racetrap = "/usr/bin/racetrap";

	ktap_start(PLAN);
	if (stat(RACETRAP_DEVICE, &st) || chmod(RACETRAP_DEVICE, 0666)) {
		ktap_skip_rest("cannot open the device to everyone");
		return ktap_finish();
	}
	/*
	 * perf lets users open events on their own processes, so the clock
	 * trigger is theirs too (test_perm_clock checks the rule); Debian
	 * forbids both by default (3).
	 */
	paranoid = rt_sysctl_get(RT_PERF_PARANOID);
	if (paranoid > 2 && !rt_sysctl_set(RT_PERF_PARANOID, 2))
		ktap_diag("cannot set perf_event_paranoid 2");
	/* Everything but yama() runs at ptrace_scope 0; then it is put back. */
	scope = rt_yama_scope();
	ktap_diag("Yama ptrace_scope: %d (-1: no Yama)", scope);
	if (scope > 0 && !rt_yama_set(0))
		ktap_diag("cannot set Yama ptrace_scope 0");
	t.root = rt_sleeper(0, 1);
	t.user = rt_sleeper(RT_UID_USER, 1);
	t.nobody = rt_sleeper(RT_UID_NOBODY, 1);
	t.user_nodump = rt_sleeper(RT_UID_USER, 0);
	if (t.root < 0 || t.user < 0 || t.nobody < 0 || t.user_nodump < 0)
		ktap_diag("sleepers did not start");

	basic(&t);
	bogus_fds(&t);
	setuid_exec();
	yama(&t, scope);

	chmod(RACETRAP_DEVICE, st.st_mode & 07777);
	if (paranoid > 2)
		rt_sysctl_set(RT_PERF_PARANOID, paranoid);
	rt_reap(t.root);
	rt_reap(t.user);
	rt_reap(t.nobody);
	rt_reap(t.user_nodump);
	unlink(OUT);
	return ktap_finish();
}
