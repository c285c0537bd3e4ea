/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processes racetrapd samples: /proc is scanned every
 * TARGETS_SCAN_MS for processes matching the configured targets, each
 * match gets a session, a session whose process exits or execs is ended
 * with its summary, and a matching process that starts again (a new pid)
 * is picked up by the next scan.
 */
#ifndef RACETRAPD_TARGETS_H
#define RACETRAPD_TARGETS_H

#include <poll.h>
#include <stddef.h>

#include "daemon_conf.h"

#define TARGETS_SCAN_MS 1000

int targets_init(void);
/* Stop every session, emitting its summary. */
void targets_fini(void);

/* Attach every process that matches @c and is not yet sampled. */
void targets_scan(const struct rt_daemon_conf *c);

/*
 * After a reload: end sessions no target (or no "user" setting) allows any
 * more, retune the rest.
 */
void targets_apply(const struct rt_daemon_conf *c);

/* Fill @pfds with every session's descriptor; returns how many. */
size_t targets_pollfds(struct pollfd *pfds, size_t max);
/* Handle what poll() reported in @pfds (as filled above). */
void targets_dispatch(const struct pollfd *pfds, size_t n);
/*
 * Periodic work of every session, and its race summary once
 * @summary_s seconds have passed since its start or its last one
 * (never for 0).
 */
void targets_tick(unsigned int summary_s);

size_t targets_count(void);

#endif /* RACETRAPD_TARGETS_H */
