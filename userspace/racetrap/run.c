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
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "session.h"

static volatile sig_atomic_t never;
static volatile pid_t child;

/* The command is the one to stop: pass the signal on, keep sampling
 * until it exits. */
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static void usage(void)
{
	printf("Usage: %s run [options] [--] COMMAND [ARG...]\n\n", prog);
	printf("Run COMMAND sampled from its first instruction, print each race when\n"
	       "first seen and a summary when it exits (or after --duration, when\n"
	       "sampling stops but COMMAND runs on).  SIGINT, SIGTERM, SIGHUP and\n"
	       "SIGQUIT are passed to COMMAND.\n\nOptions:\n");
	rt_options_usage(stdout, RT_OPT_CLI);
	printf("  %-24s %s\n", "-h, --help", "this text");
	printf("\nExit status: COMMAND's (128+N if killed by signal N); 127 if it\n"
	       "could not be found, 126 if it could not be run; 1 if racetrap\n"
	       "failed, 2 for bad usage.\n");
}

static int wait_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_ERROR;
}

/* In the child: become traceable, exec; exit 127/126 if exec fails. */
static void exec_child(char **cmd)
{
	int e;

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

int cmd_run(int argc, char **argv)
{
	struct rt_options o = { 0 };
	struct rt_session_params p;
	struct rt_session *s;
	struct sigaction sa;
	char err[1024];
	int first, st, ret = EXIT_ERROR;
	pid_t pid;

	first = cli_parse_options(argc, argv, "run", usage, true, &o);
	if (first < 0) {
		ret = first == -1 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (first >= argc) {
		ret = cli_usage_error("run", "no command: put it after --");
		goto out;
	}

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_error("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		exec_child(argv + first);
	child = pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

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
		.pid = pid, .opts = &o, .emit = cli_emit, .emit_arg = &o,
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
	if (rt_session_run(s, &never, o.duration_ms, err, sizeof(err)) < 0)
		cli_error("pid %d: %s", (int)pid, err);
	rt_session_summary(s);
	rt_session_free(s);
	ret = reap(pid);
out:
	rt_options_free(&o);
	return ret;
}
