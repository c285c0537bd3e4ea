// SPDX-License-Identifier: GPL-2.0
/* signals: SIGTERM/SIGINT ask to quit, SIGHUP to reload the config. */
#include <string.h>

#include "signals.h"

volatile sig_atomic_t signals_quit;
volatile sig_atomic_t signals_reload;

static sigset_t old_mask;

static void on_quit(int sig)
{
	(void)sig;
	signals_quit = 1;
}

static void on_reload(int sig)
{
	(void)sig;
	signals_reload = 1;
}

int signals_init(sigset_t *poll_mask)
{
	struct sigaction sa;
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &block, &old_mask))
		return -1;
	*poll_mask = old_mask;
	sigdelset(poll_mask, SIGTERM);
	sigdelset(poll_mask, SIGINT);
	sigdelset(poll_mask, SIGHUP);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_reload;
	sigaction(SIGHUP, &sa, NULL);
	/* A dead syslog socket must not kill the daemon. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

void signals_fini(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
}
