/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Report formatting: the text form (close to Go's and ThreadSanitizer's
 * "WARNING: DATA RACE") and the JSON Lines form documented in
 * Documentation/report-format.rst.  Pure formatting, no I/O.
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

/* One thread's side of a race, symbolized. */
struct rt_side_view {
	const char *role;		/* "trapped" or "sampled" */
	pid_t tid;
	char thread[64];		/* /proc/PID/task/TID/comm */
	unsigned int access;		/* RACETRAP_ACCESS_*, 0 unknown */
	bool locked;
	unsigned int size;
	uint64_t addr;
	char site[RT_SITE_NAME_MAX];	/* build-id+0xoffset */
	struct rt_frames frames;
};

struct rt_race_view {
	const struct racetrap_record *rec;
	const char *fingerprint;
	const char *comm;
	pid_t pid;
	const char *time;		/* RFC 3339 UTC */
	const struct rt_side_view *trapped;	/* NULL: unseen writer */
	const struct rt_side_view *sampled;
};

void rt_report_race_text(struct rt_strbuf *b, const struct rt_race_view *v);
void rt_report_race_json(struct rt_strbuf *b, const struct rt_race_view *v);

/* One line of the summary. */
struct rt_summary_entry {
	const char *fingerprint;
	bool unseen_writer;
	uint64_t count;
	const char *first_seen, *last_seen;	/* RFC 3339 UTC */
	const char *site_a, *site_b;		/* site_b NULL if unseen */
	const char *where;	/* "writer (racy.c:12) / reader (racy.c:20)" */
};

struct rt_analyzer_counts;
void rt_report_summary(struct rt_strbuf *b, bool json, const char *comm,
		       pid_t pid, const char *time,
		       const struct rt_summary_entry *v, size_t n,
		       const struct rt_analyzer_counts *c);

/* "racetrap: ..." status lines, as text or a JSON status object. */
void rt_report_status(struct rt_strbuf *b, bool json, const char *event,
		      const char *comm, pid_t pid, uint64_t count,
		      const char *message);

/* The short name of a stack's top frame: "func (file.c:12)". */
void rt_report_where(struct rt_strbuf *b, const struct rt_frames *f);

/* A record's value as text: "0x..." or "unknown"; and its note. */
void rt_report_value(char out[24], uint64_t v, uint32_t len, bool unknown);
const char *rt_report_value_note(const struct racetrap_record *r);

/* Format CLOCK_MONOTONIC @mono_ns as RFC 3339 UTC with milliseconds. */
void rt_report_time(char out[40], uint64_t mono_ns);

#endif /* RT_REPORT_H */
