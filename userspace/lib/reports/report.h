/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A report as data: what the analyzer and the session hand to a sink
 * (sink.h), which renders it as text, JSON or journald fields.  Keeping
 * reports structured until the sink lets each output choose its form
 * without the analyzer knowing any of them.  Also the few formatting
 * pieces the analyzer and every renderer share.
 */
#ifndef RT_REPORT_H
#define RT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

#include "fingerprint.h"
#include "strbuf.h"
#include "symbolize.h"

enum rt_report_kind {
	RT_REPORT_RACE,		/* a race seen for the first time */
	RT_REPORT_UNSEEN_WRITER,/* value changed, nobody trapped */
	RT_REPORT_SUMMARY,	/* per-race counts, first/last seen */
	RT_REPORT_STATUS,	/* drops, throttling, attach end */
};

/* One thread's side of a race, symbolized. */
struct rt_side_view {
	const char *role;		/* "trapped" or "sampled" */
	pid_t tid;
	char thread[64];		/* /proc/PID/task/TID/comm */
	unsigned int access;		/* RACETRAP_ACCESS_*, 0 unknown */
	bool locked;
	bool atomic_type;		/* addresses a C11 _Atomic object */
	unsigned int size;
	uint64_t addr;
	char site[RT_SITE_NAME_MAX];	/* build-id+0xoffset */
	struct rt_frames frames;
	/*
	 * A Go target's goroutine (runtime.g.goid), 0 when unknown (no
	 * DWARF, an older module, a runtime-internal g): name the thread.
	 * @created: where it was created (its g.gopc), empty for the main
	 * goroutine (1), which the runtime itself starts.
	 */
	uint64_t goroutine;
	struct rt_frames created;
};

/*
 * A race (or an unseen writer, with @trapped NULL).  The sampled access
 * is the later one: its thread was about to run it when the trapped one,
 * the "previous" access, struck.
 */
struct rt_race_view {
	const struct racetrap_record *rec;
	const char *fingerprint;
	const char *comm;
	pid_t pid;
	const char *time;		/* RFC 3339 UTC */
	bool go;			/* a Go target: Go's -race layout */
	const struct rt_side_view *trapped;	/* NULL: unseen writer */
	const struct rt_side_view *sampled;
	const struct rt_location *location;	/* the sampled address */
};

/* Version of the JSON objects' keys and meanings (report-format.rst). */
#define RT_REPORT_SCHEMA	2

/* The analyzer's counters: in the summary and `racetrap status`. */
struct rt_analyzer_counts {
	uint64_t records, races, repeats, unseen_writers;
	uint64_t filtered_runtime, suppressed, lost;
	uint64_t atomic_unseen;	/* value changes at an atomic site, ignored */
	uint64_t hits_atomic;	/* atomic pairs trapped, not reported */
	uint64_t unwatched_unseen;	/* value changes in a window that
					 * left a thread unwatched */
	uint64_t hits_unattributed;	/* traps pinned on a store that
					 * did not touch the watched range */
	uint64_t hits_overread;	/* a read wider than its data, the other
				 * access beside the data it used */
	uint64_t hits_read_read;	/* a read trapped, at no known site,
					 * against a sampled read */
};

/* One line of the summary. */
struct rt_summary_entry {
	const char *fingerprint;
	bool unseen_writer;
	uint64_t count;
	const char *first_seen, *last_seen;	/* RFC 3339 UTC */
	const char *site_a, *site_b;		/* site_b NULL if unseen */
	const char *where;	/* "writer (racy.c:12) / reader (racy.c:20)" */
};

struct rt_summary_view {
	const char *comm;
	pid_t pid;
	const char *time;		/* RFC 3339 UTC, when it was made */
	const struct rt_summary_entry *entries;	/* reported races only */
	size_t n;
	const struct rt_analyzer_counts *counts;
};

/* "racetrap: ..." lines: attached, lost records, throttling, the end. */
struct rt_status_view {
	const char *event;		/* "attached", "lost", "end"... */
	const char *comm;
	pid_t pid;
	uint64_t count;			/* what the event counts, or 0 */
	const char *message;		/* the whole line, without "racetrap: " */
};

/*
 * What a sink receives: exactly one of @race (RACE, UNSEEN_WRITER),
 * @summary (SUMMARY) or @status (STATUS) is set.  Everything it points
 * to is valid during the call only.
 */
struct rt_report {
	enum rt_report_kind kind;
	int priority;			/* syslog: LOG_WARNING races, LOG_INFO status */
	pid_t pid;			/* the target */
	const struct rt_race_view *race;
	const struct rt_summary_view *summary;
	const struct rt_status_view *status;
};

/* The race's fingerprint, NULL for a report that names no race. */
static inline const char *rt_report_fingerprint(const struct rt_report *r)
{
	return r->race ? r->race->fingerprint : NULL;
}

/* The short name of a stack's top frame: "func (file.c:12)". */
void rt_report_where(struct rt_strbuf *b, const struct rt_frames *f);

/*
 * The report's one-line summary, TSan's: "data race FILE:LINE in FUNC"
 * from the top frame of @f (module+0xADDR when there is no line).
 */
void rt_report_summary(struct rt_strbuf *b, const struct rt_frames *f);

/* A record's value as text: "0x..." or "unknown"; and its note. */
void rt_report_value(char out[24], uint64_t v, uint32_t len, bool unknown);
const char *rt_report_value_note(const struct racetrap_record *r);

/* A record's trigger: "site", "clock" or "unknown". */
const char *rt_report_trigger(unsigned int trigger);

/* The last component of @path (NULL stays NULL). */
const char *rt_report_base_name(const char *path);

/* Format CLOCK_MONOTONIC @mono_ns as RFC 3339 UTC with milliseconds. */
void rt_report_time(char out[40], uint64_t mono_ns);

#endif /* RT_REPORT_H */
