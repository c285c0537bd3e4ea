// SPDX-License-Identifier: GPL-2.0
/*
 * signals: SIGTERM/SIGINT ask to quit, SIGHUP to reload the config.
 *
 * They are read from a signalfd polled beside the sessions, not taken by
 * handlers unblocked inside ppoll(): ppoll() runs a handler only when it
 * would otherwise sleep, and returns with the signal blocked again when
 * a descriptor is ready.  A daemon whose sessions always had records
 * waiting (a busy target on a loaded host) never saw SIGTERM, and was
 * killed at the end of the service manager's stop timeout without its
 * summaries.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "signals.h"

bool signals_quit;
bool signals_reload;

static int sig_fd = -1;

int signals_init(void)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sig_fd < 0)
		return -1;
	/* A dead syslog socket must not kill the daemon. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

/* Every signal queued: two SIGTERMs are one request, a SIGHUP counts. */
static void take_signals(void)
{
	struct signalfd_siginfo si;

	while (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			signals_reload = true;
		else
			signals_quit = true;
	}
}

int signals_poll(struct pollfd *pfds, nfds_t n, int timeout_ms)
{
	nfds_t i;
	int r;

	pfds[0] = (struct pollfd){ .fd = sig_fd, .events = POLLIN };
	r = poll(pfds, n, timeout_ms);
	if (r < 0 && errno == EINTR) {
		/* A stop and continue, say: nothing is ready. */
		for (i = 0; i < n; i++)
			pfds[i].revents = 0;
		return 0;
	}
	if (r > 0 && pfds[0].revents)
		take_signals();
	return r;
}

/*
 * The signals stay blocked: the daemon is about to exit, and one sent
 * during its shutdown must not end it before its last summary with the
 * default action.
 */
void signals_fini(void)
{
	if (sig_fd >= 0)
		close(sig_fd);
	sig_fd = -1;
}
