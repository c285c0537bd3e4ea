// SPDX-License-Identifier: GPL-2.0
/*
 * racetrapd's signals: SIGTERM is taken while another descriptor is ready
 * on every poll (a session whose records never run dry), SIGHUP asks only
 * for a reload, and a thread started after signals_init() cannot take a
 * signal by its default action.
 */
#include <pthread.h>
#include <stdlib.h>

#include <selftests/lib/ktap.h>

#include "../racetrapd/signals.c"

static int ready_pipe[2];

/* Polls with the pipe always readable, as a busy session's fd is. */
static int poll_busy(int times)
{
	struct pollfd pfds[2];
	int i, r = 0;

	for (i = 0; i < times && !signals_quit && !signals_reload; i++) {
		pfds[1] = (struct pollfd){ .fd = ready_pipe[0], .events = POLLIN };
		r = signals_poll(pfds, 2, 1000);
		if (r < 0 || !(pfds[1].revents & POLLIN))
			return -1;
	}
	return r;
}

static void *sleeper(void *arg)
{
	(void)arg;
	sleep(2);
	return NULL;
}

int main(void)
{
	struct pollfd pfds[1];
	pthread_t th;
	int r;

	ktap_start(6);
	if (signals_init() || pipe(ready_pipe) || write(ready_pipe[1], "x", 1) != 1) {
		ktap_diag("setting up: %s", strerror(errno));
		ktap_skip_rest("no signalfd or pipe");
		return ktap_finish();
	}

	r = poll_busy(3);
	ktap_result(r == 1 && !signals_quit && !signals_reload,
		    "no_signal_no_flag");

	kill(getpid(), SIGHUP);
	r = poll_busy(3);
	ktap_result(signals_reload && !signals_quit, "sighup_asks_for_a_reload");
	signals_reload = false;

	kill(getpid(), SIGTERM);
	r = poll_busy(3);
	ktap_diag("poll returned %d with the pipe ready", r);
	ktap_result(signals_quit, "sigterm_taken_while_another_fd_is_always_ready");
	signals_quit = false;

	kill(getpid(), SIGINT);
	kill(getpid(), SIGHUP);
	r = poll_busy(1);
	ktap_result(signals_quit && signals_reload, "sigint_and_sighup_at_once");
	signals_quit = signals_reload = false;

	/* Sent while only a new thread is off in a syscall: the process lives. */
	if (pthread_create(&th, NULL, sleeper, NULL)) {
		ktap_skip("thread_after_init_takes_no_default_action", "no thread");
	} else {
		kill(getpid(), SIGTERM);
		pthread_join(th, NULL);
		r = signals_poll(pfds, 1, 1000);
		ktap_result(r == 1 && signals_quit,
			    "thread_after_init_takes_no_default_action");
	}

	signals_quit = false;
	r = signals_poll(pfds, 1, 10);
	ktap_result(r == 0 && !signals_quit, "timeout_with_nothing_ready");
	signals_fini();
	return ktap_finish();
}
