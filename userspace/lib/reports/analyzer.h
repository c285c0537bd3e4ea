/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The analyzer turns kernel records into race reports: symbolizes both
 * stacks, identifies the race by its pair of code sites, deduplicates,
 * and filters runtime-internal and suppressed hits.  It neither formats
 * nor writes: every report goes to a sink (sink.h) as data, so the CLI
 * prints it and the daemon sends it to syslog, each in its own form.
 */
#ifndef RT_ANALYZER_H
#define RT_ANALYZER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

#include "sink.h"

struct rt_analyzer_opts {
	const char *suppressions;	/* TSan-syntax file, or NULL */
	bool keep_runtime;		/* do not filter runtime-internal hits */
	bool report_atomics;		/* report atomic pairs as races too */
	bool go;			/* a Go program: see rt_verdict_atomic_pair();
					 * context words are goctx.h's */
	unsigned int stack_depth;	/* frames per stack; 0: RACETRAP_MAX_STACK */
	rt_sink_fn emit;		/* where every report goes */
	void *emit_arg;
};

struct rt_analyzer;

/* Returns NULL with a message in @err on failure. */
struct rt_analyzer *rt_analyzer_new(pid_t pid,
				    const struct rt_analyzer_opts *opts,
				    char *err, size_t errlen);

/*
 * Tell the analyzer the kernel's table id for a mapped file, and its
 * decoded sites (sorted by offset; copied): a trap is placed on the site
 * that ends at its IP, so both sides of a race name their sites alike
 * even in a stripped file.
 */
void rt_analyzer_add_table(struct rt_analyzer *an, uint32_t table_id,
			   const char *path, const char *build_id,
			   uint64_t map_start, uint64_t map_offset,
			   const struct racetrap_site *sites, size_t nr_sites);

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
void rt_analyzer_counts(const struct rt_analyzer *an,
			struct rt_analyzer_counts *out);

void rt_analyzer_free(struct rt_analyzer *an);

#endif /* RT_ANALYZER_H */
