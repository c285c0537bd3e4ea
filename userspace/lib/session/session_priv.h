/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of a session share (session.c the lifecycle,
 * session_report.c its status reports and summary, session_statusfile.c
 * its status file, session_run.c the CLI's loop); not for other users.
 */
#ifndef RT_SESSION_PRIV_H
#define RT_SESSION_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "analyzer.h"
#include "kapi.h"
#include "options.h"
#include "session.h"
#include "sites.h"

struct rt_session {
	struct rt_kapi k;
	struct rt_analyzer *an;
	struct rt_sites_seen *seen;
	struct rt_options opts;
	rt_sink_fn emit;
	void *emit_arg;
	pid_t pid;
	char comm[64];
	time_t started;
	bool attached;		/* ATTACH done, no END record yet */
	bool go;		/* the target is a Go executable */
	bool clock_refused;	/* perf does not let us sample the target */
	bool drained;		/* END seen and the ring read to the end */
	bool status_written;
	int end_reason;
	unsigned int nr_tables;
	uint64_t next_rescan_ms, next_status_ms;
	uint64_t started_ms;
	uint64_t cpu_at_attach_ns;	/* the target's utime + stime then */
	char scan_err[512];	/* last rescan error, reported once */
};

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The target's CPU time (utime + stime), 0 if it cannot be read. */
uint64_t session_target_cpu_ns(pid_t pid);

/* Refresh the status file `racetrap status` reads. */
void session_write_status(struct rt_session *s);

/* A status report of the session itself, to its sink. */
__attribute__((format(printf, 4, 5)))
void session_status(struct rt_session *s, int priority, const char *event,
		    const char *fmt, ...);

#endif /* RT_SESSION_PRIV_H */
