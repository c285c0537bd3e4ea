/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session is one attached target: the device opened and configured,
 * the target attached, its code's site tables handed to the kernel (and
 * re-scanned every RT_SESSION_RESCAN_MS for dlopen'ed code), records read
 * and fed to the analyzer, a status file kept for `racetrap status`.
 * The CLI runs one session with rt_session_run(); racetrapd polls many
 * sessions' descriptors in its own loop and calls rt_session_process()
 * and rt_session_tick().
 */
#ifndef RT_SESSION_H
#define RT_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "options.h"
#include "sink.h"

#define RT_SESSION_RESCAN_MS	2000
#define RT_SESSION_STATUS_MS	1000

struct rt_session_params {
	pid_t pid;
	const struct rt_options *opts;
	rt_sink_fn emit;
	void *emit_arg;
	/* Emit an "attached" status report once sampling starts. */
	bool announce;
	/*
	 * Nice value for the set-up, for a target already running
	 * (rt_options_setup_nice()); 0: the caller's own priority.
	 */
	int setup_nice;
	/*
	 * Called right after the attach, before anything of the target is
	 * read on: is @pid still the process the caller chose (no exec, no
	 * pid reuse since)?  An exec after the attach ends the attachment,
	 * so checking once here is enough.  NULL: no check.
	 */
	bool (*still_chosen)(pid_t pid, void *arg);
	void *still_chosen_arg;
};

struct rt_session;

/* Returns NULL with a message in @err (the target is left untouched). */
struct rt_session *rt_session_start(const struct rt_session_params *p,
				    char *err, size_t errlen);

/* The descriptor to poll for POLLIN (records) and POLLHUP (ended). */
int rt_session_fd(const struct rt_session *s);
pid_t rt_session_pid(const struct rt_session *s);
const char *rt_session_comm(const struct rt_session *s);

/*
 * Read and analyse every queued record.  Returns 1 once the attachment
 * has ended and every record has been read, 0 while it goes on, or a
 * negative errno.
 */
int rt_session_process(struct rt_session *s);

/* Periodic work (rescan, status file); call at least every second. */
void rt_session_tick(struct rt_session *s);

/* Change the kernel sampling configuration of a running session. */
int rt_session_reconfigure(struct rt_session *s, const struct rt_options *o,
			   char *err, size_t errlen);

/*
 * Stop sampling (detach if still attached) and analyse what is still
 * queued, waiting at most a second for the ring to drain.
 */
void rt_session_stop(struct rt_session *s);

/* RACETRAP_END_* once the attachment ended, RACETRAP_END_UNSPEC before. */
int rt_session_end_reason(const struct rt_session *s);

/* Emit the summary of every race this session saw. */
void rt_session_summary(struct rt_session *s);

/* Close everything and remove the status file. */
void rt_session_free(struct rt_session *s);

/*
 * The CLI's loop: run until the attachment ends, *@stop becomes non-zero,
 * or @duration_ms (0 = no limit) passes; then stop the session.  Returns
 * 0, or a negative errno with a message in @err.
 */
int rt_session_run(struct rt_session *s, volatile sig_atomic_t *stop,
		   unsigned long duration_ms, char *err, size_t errlen);

#endif /* RT_SESSION_H */
