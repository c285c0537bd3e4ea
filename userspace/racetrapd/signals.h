/* SPDX-License-Identifier: GPL-2.0 */
/* Signals arrive through a descriptor polled with the sessions' own. */
#ifndef RACETRAPD_SIGNALS_H
#define RACETRAPD_SIGNALS_H

#include <poll.h>
#include <stdbool.h>

extern bool signals_quit;	/* SIGTERM, SIGINT */
extern bool signals_reload;	/* SIGHUP */

/*
 * Block SIGTERM, SIGINT and SIGHUP and open a signalfd for them; ignore
 * SIGPIPE.  Call it before any thread is created: every thread must
 * inherit the mask, or the kernel may hand a signal to one that has it
 * unblocked, where its default action ends the daemon.
 */
int signals_init(void);

/*
 * poll() @pfds[1..@n - 1] for at most @timeout_ms and take any signal
 * that came meanwhile into the flags above; @pfds[0] is the signals'
 * own slot, filled here.  Returns what poll() returns, 0 when it was
 * interrupted (no revents set then).
 */
int signals_poll(struct pollfd *pfds, nfds_t n, int timeout_ms);

void signals_fini(void);

#endif /* RACETRAPD_SIGNALS_H */
