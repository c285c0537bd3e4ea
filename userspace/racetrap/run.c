// SPDX-License-Identifier: GPL-2.0
/*
 * racetrap run -- CMD ARGS: sample CMD from its first instruction.  The
 * child stops at its exec under PTRACE_TRACEME; only then is it attached
 * (an exec would end an earlier attachment) and its code, now mapped,
 * handed to the kernel; then it is let go.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "session.h"

static volatile sig_atomic_t never;
static volatile pid_t child;

/*
 * The command is the one to stop: pass a signal sent to racetrap on, keep
 * sampling until it exits.  Not one the kernel sent (Ctrl-C, Ctrl-\, a
 * terminal hangup): those went to the terminal's foreground process
 * group, which the command shares with us, so it already has it, and a
 * second copy is a second Ctrl-C to servers that count them.
 */
static void forward(int sig, siginfo_t *info, void *uc)
{
	int saved = errno;

	(void)uc;
	if (info && info->si_code == SI_KERNEL)
		return;
	if (child > 0)
		kill(child, sig);
	errno = saved;
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NR_FORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

static void usage(void)
{
	printf("Usage: %s run [options] [--] COMMAND [ARG...]\n\n", prog);
	printf("Run COMMAND sampled from its first instruction, print each race when\n"
	       "first seen and a summary when it exits (or after --duration, when\n"
	       "sampling stops but COMMAND runs on).  A program COMMAND execs (a\n"
	       "wrapper script's real program) is sampled too, from just after its\n"
	       "exec.  SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to racetrap are\n"
	       "passed to COMMAND (from the terminal it gets them itself, once).\n\n"
	       "Options:\n");
	rt_options_usage(stdout, RT_OPT_CLI | RT_OPT_RUN);
	printf("  %-24s %s\n", "-h, --help", "this text");
	printf("\nExit status: COMMAND's (128+N if killed by signal N), or 66\n"
	       "(--exit-code) if a race was reported and COMMAND exited 0; 127 if\n"
	       "COMMAND could not be found, 126 if it could not be run; 1 if\n"
	       "racetrap failed, 2 for bad usage.\n");
}

/* The CLI's sink, counting the races it shows for the exit status. */
struct run_sink {
	const struct rt_options *o;
	unsigned long races;
};

static void run_emit(void *arg, const struct rt_report *r)
{
	struct run_sink *rs = arg;

	if (r->kind == RT_REPORT_RACE || r->kind == RT_REPORT_UNSEEN_WRITER)
		rs->races++;
	cli_emit((void *)rs->o, r);
}

static int wait_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_ERROR;
}

/*
 * In the child: the dispositions and mask racetrap was started with (a
 * shell's background job keeps SIGINT ignored), become traceable, exec;
 * exit 127/126 if exec fails.
 */
static void exec_child(char **cmd, const struct sigaction *old,
		       const sigset_t *mask)
{
	int e;

	for (size_t i = 0; i < NR_FORWARDED; i++)
		sigaction(forwarded[i], &old[i], NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
		fprintf(stderr, "%s: ptrace(PTRACE_TRACEME): %s\n", prog,
			strerror(errno));
		_exit(126);
	}
	execvp(cmd[0], cmd);
	e = errno;
	fprintf(stderr, "%s: cannot run '%s': %s\n", prog, cmd[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			cli_error("waiting for pid %d: %s", (int)pid, strerror(errno));
			return EXIT_ERROR;
		}
	}
	return wait_status(st);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Has @pid, our child, exited (a zombie still answers kill(pid, 0))? */
static bool exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	       si.si_pid == pid;
}

/*
 * Attach again after an exec.  The END record can come before the new
 * program's mappings are all in place, so a start that finds no code is
 * retried for a moment, while the process lives.
 */
static struct rt_session *reattach(struct rt_session_params *p)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	struct rt_session *s;
	char err[1024];
	int tries;

	/* The new program runs meanwhile: set up beside it. */
	p->setup_nice = rt_options_setup_nice(p->opts);
	for (tries = 0; tries < 20; tries++) {
		s = rt_session_start(p, err, sizeof(err));
		if (s || exited(p->pid))
			break;
		nanosleep(&pause, NULL);
	}
	/* A program that exits at once leaves nothing to sample: no error. */
	if (!s && !exited(p->pid))
		cli_error("pid %d called exec; sampling its new program failed: %s",
			  (int)p->pid, err);
	return s;
}

/*
 * Sample until the command exits or @duration_ms (0: no limit) passes.
 * A wrapper (a shell script, `sh -c 'exec prog'`) ends its attachment
 * when it execs the real program: attach to that program too, each
 * program with its own summary.
 */
static void sample(struct rt_session *s, struct rt_session_params *p,
		   unsigned long duration_ms)
{
	uint64_t end = duration_ms ? now_ms() + duration_ms : 0;
	char err[1024];

	for (;;) {
		unsigned long left = 0;
		int reason;

		if (end) {
			uint64_t now = now_ms();

			left = now < end ? (unsigned long)(end - now) : 1;
		}
		if (rt_session_run(s, &never, left, err, sizeof(err)) < 0)
			cli_error("pid %d: %s", (int)p->pid, err);
		reason = rt_session_end_reason(s);
		rt_session_summary(s);
		rt_session_free(s);
		if (reason != RACETRAP_END_EXEC || (end && now_ms() >= end))
			return;
		p->announce = true;
		s = reattach(p);
		if (!s)
			return;
	}
}

int cmd_run(int argc, char **argv)
{
	struct rt_options o = { 0 };
	struct run_sink rs = { .o = &o };
	struct rt_session_params p;
	struct rt_session *s;
	struct sigaction sa, old[NR_FORWARDED];
	sigset_t block, mask;
	char err[1024];
	int first, st, ret = EXIT_ERROR;
	pid_t pid;

	first = cli_parse_options(argc, argv, "run", usage, true,
				  RT_OPT_CLI | RT_OPT_RUN, &o);
	if (first < 0) {
		ret = first == -1 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (first >= argc) {
		ret = cli_usage_error("run", "no command: put it after --");
		goto out;
	}

	/*
	 * Handlers before fork, with the signals held until the child's pid
	 * is known: a SIGTERM sent to racetrap meanwhile reaches the command
	 * once it exists, rather than ending racetrap and leaving it running
	 * unsampled.
	 */
	sigemptyset(&block);
	for (size_t i = 0; i < NR_FORWARDED; i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &mask);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO;
	for (size_t i = 0; i < NR_FORWARDED; i++)
		sigaction(forwarded[i], &sa, &old[i]);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		exec_child(argv + first, old, &mask);
	if (pid > 0)
		child = pid;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (pid < 0) {
		cli_error("fork: %s", strerror(errno));
		goto out;
	}

	/* The SIGTRAP stop right after a successful exec. */
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			cli_error("waiting for the command: %s", strerror(errno));
			goto out;
		}
	}
	if (!WIFSTOPPED(st)) {
		ret = wait_status(st);	/* exec failed: it said why */
		goto out;
	}
	if (WSTOPSIG(st) != SIGTRAP) {
		cli_error("the command stopped with signal %d before it ran", WSTOPSIG(st));
		kill(pid, SIGKILL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
		reap(pid);
		goto out;
	}

	p = (struct rt_session_params){
		.pid = pid, .opts = &o, .emit = run_emit, .emit_arg = &rs,
	};
	s = rt_session_start(&p, err, sizeof(err));
	if (!s) {
		cli_error("%s", err);
		kill(pid, SIGKILL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
		reap(pid);
		goto out;
	}
	/* Let it go, without the SIGTRAP. */
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL) < 0) {
		cli_error("ptrace(PTRACE_DETACH): %s", strerror(errno));
		kill(pid, SIGKILL);
		rt_session_free(s);
		reap(pid);
		goto out;
	}
	sample(s, &p, o.duration_ms);
	ret = reap(pid);
	if (ret == 0 && rs.races)
		ret = (int)(o.exit_code_set ? o.exit_code : RT_EXIT_CODE_DEFAULT);
out:
	rt_options_free(&o);
	return ret;
}
