/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The analyzer turns kernel records into race reports: symbolizes both
 * stacks, identifies the race by its pair of code sites, deduplicates,
 * filters runtime-internal and suppressed hits, and formats text or JSON.
 * It does no I/O of its own: every report goes to the emit callback, so
 * the CLI prints it and the daemon sends it to syslog.
 */
#ifndef RT_ANALYZER_H
#define RT_ANALYZER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

enum rt_report_kind {
	RT_REPORT_RACE,		/* a race seen for the first time */
	RT_REPORT_UNSEEN_WRITER,/* value changed, nobody trapped */
	RT_REPORT_SUMMARY,	/* per-race counts, first/last seen */
	RT_REPORT_STATUS,	/* drops, throttling, attach end */
};

/*
 * Structured fields (for journald); strings valid during the callback.
 * The struct is always passed; for status and summary reports only @pid
 * is set and the strings are NULL, as is @site_b for an unseen writer.
 */
struct rt_report_fields {
	const char *fingerprint;	/* 16 hex digits, stable across runs */
	pid_t pid;
	const char *site_a;		/* "build-id+0xoffset" */
	const char *site_b;
};

/*
 * @priority: a syslog priority (LOG_WARNING for races, LOG_INFO status).
 * @text: the whole report, one logical message (may hold newlines).
 */
typedef void (*rt_emit_fn)(void *arg, enum rt_report_kind kind, int priority,
			   const char *text,
			   const struct rt_report_fields *fields);

struct rt_analyzer_opts {
	bool json;			/* JSON Lines instead of text */
	const char *suppressions;	/* TSan-syntax file, or NULL */
	bool keep_runtime;		/* do not filter runtime-internal hits */
	bool report_atomics;		/* report atomic pairs as races too */
	bool go;			/* a Go program: see atomic_pair() */
	unsigned int stack_depth;	/* frames per stack; 0: RACETRAP_MAX_STACK */
	rt_emit_fn emit;
	void *emit_arg;
};

struct rt_analyzer;

/* Returns NULL with a message in @err on failure. */
struct rt_analyzer *rt_analyzer_new(pid_t pid,
				    const struct rt_analyzer_opts *opts,
				    char *err, size_t errlen);

/* Tell the analyzer the kernel's table id for a mapped file. */
void rt_analyzer_add_table(struct rt_analyzer *an, uint32_t table_id,
			   const char *path, const char *build_id,
			   uint64_t map_start, uint64_t map_offset);

/* Feed one record; reports go to opts->emit. */
void rt_analyzer_feed(struct rt_analyzer *an,
		      const struct racetrap_record *rec);

/*
 * The same with the record's stack dumps, indexed by RACETRAP_DUMP_SAMPLED
 * and _TRAPPED (either NULL; @dumps NULL for none), checked with
 * rt_dump_valid(): a side whose frame-pointer stack is shorter than what
 * its dump unwinds to through the CFI gets the unwound stack.
 */
void rt_analyzer_feed_dumps(struct rt_analyzer *an,
			    const struct racetrap_record *rec,
			    const struct racetrap_user_dump *const *dumps);

/* Emit the summary of every race seen so far. */
void rt_analyzer_summary(struct rt_analyzer *an);

/* Counters for `racetrap status` and the summary. */
struct rt_analyzer_counts {
	uint64_t records, races, repeats, unseen_writers;
	uint64_t filtered_runtime, suppressed, lost;
	uint64_t atomic_unseen;	/* value changes at an atomic site, ignored */
	uint64_t hits_atomic;	/* atomic pairs trapped, not reported */
	uint64_t unwatched_unseen;	/* value changes while a thread
					 * stepping a uprobe went unwatched */
	uint64_t hits_unattributed;	/* traps pinned on a store that
					 * did not touch the watched range */
};
void rt_analyzer_counts(const struct rt_analyzer *an,
			struct rt_analyzer_counts *out);

void rt_analyzer_free(struct rt_analyzer *an);

#endif /* RT_ANALYZER_H */
