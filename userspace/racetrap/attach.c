// SPDX-License-Identifier: GPL-2.0
/* racetrap attach PID: sample a running process until told to stop. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "session.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	printf("Usage: %s attach PID [options]\n\n", prog);
	printf("Sample process PID, print each race when first seen, and a summary\n"
	       "of every race when sampling ends: on SIGINT or SIGTERM, after\n"
	       "--duration, or when the process exits or calls exec.\n\nOptions:\n");
	rt_options_usage(stdout, RT_OPT_CLI);
	printf("  %-24s %s\n", "-h, --help", "this text");
	printf("\nExit status: 0 ok, 1 error, 2 usage.\n");
}

int cmd_attach(int argc, char **argv)
{
	struct rt_options o = { 0 };
	struct rt_session_params p;
	struct rt_session *s;
	struct sigaction sa;
	unsigned long long pid;
	char err[1024];
	int first, ret = EXIT_ERROR;

	first = cli_parse_options(argc, argv, "attach", usage, false,
				  RT_OPT_CLI, &o);
	if (first < 0) {
		ret = first == -1 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (first >= argc) {
		ret = cli_usage_error("attach", "which process? give a PID");
		goto out;
	}
	if (first + 1 < argc) {
		ret = cli_usage_error("attach", "one PID only; unexpected '%s'",
				      argv[first + 1]);
		goto out;
	}
	if (rt_parse_uint("PID", argv[first], 1, 4194304, NULL, &pid, err,
			  sizeof(err))) {
		ret = cli_usage_error("attach", "%s", err);
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	p = (struct rt_session_params){
		.pid = (pid_t)pid, .opts = &o, .emit = cli_emit,
		.emit_arg = &o, .announce = true,
		.setup_nice = rt_options_setup_nice(&o),
	};
	s = rt_session_start(&p, err, sizeof(err));
	if (!s) {
		cli_error("%s", err);
		goto out;
	}
	ret = EXIT_OK;
	if (rt_session_run(s, &stop, o.duration_ms, err, sizeof(err)) < 0) {
		cli_error("pid %llu: %s", pid, err);
		ret = EXIT_ERROR;
	}
	rt_session_summary(s);
	rt_session_free(s);
out:
	rt_options_free(&o);
	return ret;
}
