/* SPDX-License-Identifier: GPL-2.0 */
/* Signals only set these flags; the main loop acts on them. */
#ifndef RACETRAPD_SIGNALS_H
#define RACETRAPD_SIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t signals_quit;	/* SIGTERM, SIGINT */
extern volatile sig_atomic_t signals_reload;	/* SIGHUP */

/*
 * Install the handlers and block the signals; the main loop unblocks
 * them only inside ppoll() (with @poll_mask), so a signal can never slip
 * in between checking the flags and going to sleep.
 */
int signals_init(sigset_t *poll_mask);
void signals_fini(void);

#endif /* RACETRAPD_SIGNALS_H */
