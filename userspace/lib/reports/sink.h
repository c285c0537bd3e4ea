/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sinks: where reports go.  The analyzer and the session hand each report
 * to a sink as data (report.h); the sink renders it with the renderers
 * below and writes it: the CLI to stdout or stderr, racetrapd to syslog
 * or the journal.  No renderer does I/O, so each sink decides the form.
 */
#ifndef RT_SINK_H
#define RT_SINK_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>

#include "report.h"
#include "strbuf.h"

/* Take one report; everything @r points to is valid during the call. */
typedef void (*rt_sink_fn)(void *arg, const struct rt_report *r);

/*
 * Hand @sink a status report ("racetrap: " + the formatted line) about
 * process @pid (@comm); @count is what the event counts, or 0.
 */
__attribute__((format(printf, 8, 0)))
void rt_sink_vstatus(rt_sink_fn sink, void *arg, int priority, pid_t pid,
		     const char *comm, const char *event, uint64_t count,
		     const char *fmt, va_list ap);

/*
 * The text form: ThreadSanitizer's layout, or Go's -race layout for a Go
 * target (Documentation/report-format.rst); one logical message, which
 * may hold newlines and blank lines.
 */
void rt_render_text(struct rt_strbuf *b, const struct rt_report *r);

/* The JSON Lines form: one object, no newline. */
void rt_render_json(struct rt_strbuf *b, const struct rt_report *r);

/*
 * journald's structured fields, one "NAME=value" line each: RACETRAP_PID
 * and, for a race, RACETRAP_FINGERPRINT, RACETRAP_SITE_A (the sampled
 * access) and RACETRAP_SITE_B (the trapped one, none for an unseen
 * writer).  No value holds a newline.
 */
void rt_render_journal(struct rt_strbuf *b, const struct rt_report *r);

#endif /* RT_SINK_H */
