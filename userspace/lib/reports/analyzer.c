// SPDX-License-Identifier: GPL-2.0
/*
 * analyzer: kernel records to race reports.  Each hit is named by its
 * pair of code sites (fingerprint.h); the first sighting is symbolized,
 * filtered (language-runtime internals, suppressions) and reported, and
 * later ones only counted, so a hot race costs a hash lookup.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "analyzer.h"
#include "sides.h"
#include "sink.h"
#include "suppress.h"
#include "symbolize.h"
#include "verdict.h"

enum race_state { REPORTED, FILTERED, SUPPRESSED, ATOMIC };

struct race {
	uint64_t fp;
	enum race_state state;
	bool unseen_writer;
	uint64_t count, first_ns, last_ns;
	char site_a[RT_SITE_NAME_MAX], site_b[RT_SITE_NAME_MAX];
	char *where;
};

struct rt_analyzer {
	pid_t pid;
	char comm[64];
	bool keep_runtime, report_atomics, go;
	unsigned int stack_depth;	/* frames per stack */
	rt_sink_fn emit;
	void *emit_arg;
	struct rt_symbolizer *sym;
	struct rt_sides *sides;
	struct rt_suppressions *supp;
	struct race *races;
	size_t nr_races, cap_races;
	size_t *index;		/* open addressing: race index + 1, 0 = free */
	size_t index_size;	/* power of two, > 2 * nr_races */
	struct rt_analyzer_counts counts;
	uint64_t throttle_reported_ns;	/* kernel time of the last one shown */
};

/*
 * The kernel queues a THROTTLE record each time the budget starts
 * refusing samples, which under a tight budget is every few samples.
 * Say so once, then at most this often; the skip count rides along.
 */
#define THROTTLE_REPORT_INTERVAL_NS (60ULL * 1000000000ULL)

struct rt_analyzer *rt_analyzer_new(pid_t pid,
				    const struct rt_analyzer_opts *opts,
				    char *err, size_t errlen)
{
	struct rt_analyzer *an = calloc(1, sizeof(*an));

	if (!an) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	an->pid = pid;
	an->keep_runtime = opts->keep_runtime;
	an->report_atomics = opts->report_atomics;
	an->go = opts->go;
	an->stack_depth = opts->stack_depth && opts->stack_depth < RACETRAP_MAX_STACK ?
			  opts->stack_depth : RACETRAP_MAX_STACK;
	an->emit = opts->emit;
	an->emit_arg = opts->emit_arg;
	rt_read_comm(pid, 0, an->comm, sizeof(an->comm));
	if (opts->suppressions) {
		an->supp = rt_supp_load(opts->suppressions, err, errlen);
		if (!an->supp)
			goto err;
	}
	an->sym = rt_symbolizer_new(pid, err, errlen);
	if (!an->sym)
		goto err;
	an->sides = rt_sides_new(pid, an->sym, an->stack_depth, an->go);
	if (!an->sides) {
		snprintf(err, errlen, "out of memory");
		goto err;
	}
	return an;
err:
	rt_analyzer_free(an);
	return NULL;
}

void rt_analyzer_free(struct rt_analyzer *an)
{
	if (!an)
		return;
	rt_sides_free(an->sides);
	for (size_t i = 0; i < an->nr_races; i++)
		free(an->races[i].where);
	free(an->races);
	free(an->index);
	rt_supp_free(an->supp);
	rt_symbolizer_free(an->sym);
	free(an);
}

void rt_analyzer_add_table(struct rt_analyzer *an, uint32_t table_id,
			   const char *path, const char *build_id,
			   uint64_t map_start, uint64_t map_offset,
			   const struct racetrap_site *sites, size_t nr_sites)
{
	char comm[sizeof(an->comm)];

	rt_sides_add_table(an->sides, table_id, path, build_id, map_start,
			   map_offset, sites, nr_sites);
	/* After an exec: not another process's name through a reused pid. */
	rt_read_comm(an->pid, 0, comm, sizeof(comm));
	if (rt_symbolizer_same_process(an->sym))
		memcpy(an->comm, comm, sizeof(comm));
}

void rt_analyzer_counts(const struct rt_analyzer *an,
			struct rt_analyzer_counts *out)
{
	*out = an->counts;
}

static void emit(struct rt_analyzer *an, const struct rt_report *r)
{
	if (an->emit)
		an->emit(an->emit_arg, r);
}

__attribute__((format(printf, 4, 5)))
static void status(struct rt_analyzer *an, const char *event, uint64_t count,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_sink_vstatus(an->emit, an->emit_arg, LOG_INFO, an->pid, an->comm,
			event, count, fmt, ap);
	va_end(ap);
}

/* --- the race table: fingerprint -> race, open addressing --- */

static struct race *race_find(struct rt_analyzer *an, uint64_t fp)
{
	if (!an->index_size)
		return NULL;
	for (size_t i = fp & (an->index_size - 1); an->index[i];
	     i = (i + 1) & (an->index_size - 1))
		if (an->races[an->index[i] - 1].fp == fp)
			return &an->races[an->index[i] - 1];
	return NULL;
}

static int reindex(struct rt_analyzer *an, size_t size)
{
	size_t *index = calloc(size, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (size_t r = 0; r < an->nr_races; r++) {
		size_t i = an->races[r].fp & (size - 1);

		while (index[i])
			i = (i + 1) & (size - 1);
		index[i] = r + 1;
	}
	free(an->index);
	an->index = index;
	an->index_size = size;
	return 0;
}

static struct race *race_add(struct rt_analyzer *an, uint64_t fp)
{
	struct race *r;

	if (an->nr_races == an->cap_races) {
		size_t cap = an->cap_races ? an->cap_races * 2 : 64;

		r = realloc(an->races, cap * sizeof(*r));
		if (!r)
			return NULL;
		an->races = r;
		an->cap_races = cap;
	}
	r = &an->races[an->nr_races++];
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	if (2 * an->nr_races >= an->index_size) {
		/* Grow: reindex() places every race, the new one too. */
		if (reindex(an, an->index_size ? an->index_size * 2 : 256)) {
			an->nr_races--;
			return NULL;
		}
	} else {
		size_t i = fp & (an->index_size - 1);

		while (an->index[i])
			i = (i + 1) & (an->index_size - 1);
		an->index[i] = an->nr_races;
	}
	return r;
}

static char *where_of(const struct rt_side_view *a,
		      const struct rt_side_view *b)
{
	struct rt_strbuf w;
	char *s;

	rt_strbuf_init(&w);
	rt_report_where(&w, &a->frames);
	if (b) {
		rt_strbuf_puts(&w, " / ");
		rt_report_where(&w, &b->frames);
	}
	s = strdup(rt_strbuf_str(&w));
	rt_strbuf_free(&w);
	return s;
}

static void count_repeat(struct rt_analyzer *an, struct race *r)
{
	if (r->unseen_writer) {
		if (r->state == ATOMIC) {
			an->counts.atomic_unseen++;
			return;
		}
		an->counts.unseen_writers++;
	}
	switch (r->state) {
	case REPORTED:
		if (!r->unseen_writer)
			an->counts.repeats++;
		break;
	case FILTERED:
		an->counts.filtered_runtime++;
		break;
	case SUPPRESSED:
		an->counts.suppressed++;
		break;
	case ATOMIC:
		an->counts.hits_atomic++;
		break;
	}
}

static void handle_race(struct rt_analyzer *an,
			const struct racetrap_record *rec,
			const struct racetrap_user_dump *const *dumps,
			bool unseen)
{
	struct rt_side_view trapped = { 0 }, sampled = { 0 };
	struct rt_location loc = { 0 };
	char site_a[RT_SITE_NAME_MAX], site_b[RT_SITE_NAME_MAX];
	char fp_hex[RT_FINGERPRINT_LEN], when[40];
	uint64_t trap_ip = 0, fp;
	struct rt_race_view view;
	struct race *r;

	rt_sides_sampled_site(an->sides, rec, site_a);
	if (!unseen) {
		trap_ip = rt_sides_trapped_ip(an->sides, &rec->trapped, site_b);
	}
	fp = rt_fingerprint(site_a, unseen ? NULL : site_b);
	r = race_find(an, fp);
	if (r) {
		r->count++;
		r->last_ns = rec->timestamp_ns;
		count_repeat(an, r);
		return;
	}
	r = race_add(an, fp);
	if (!r)
		return;
	r->unseen_writer = unseen;
	r->count = 1;
	r->first_ns = r->last_ns = rec->timestamp_ns;
	memcpy(r->site_a, site_a, sizeof(site_a));
	if (!unseen)
		memcpy(r->site_b, site_b, sizeof(site_b));

	rt_sides_fill(an->sides, &sampled, "sampled", &rec->sampled,
		      rec->sampled.ip, rec,
		      dumps ? dumps[RACETRAP_DUMP_SAMPLED] : NULL);
	memcpy(sampled.site, site_a, sizeof(site_a));
	if (!unseen) {
		rt_sides_fill(an->sides, &trapped, "trapped", &rec->trapped,
			      trap_ip, rec,
			      dumps ? dumps[RACETRAP_DUMP_TRAPPED] : NULL);
		memcpy(trapped.site, site_b, sizeof(site_b));
	}
	r->where = unseen ? where_of(&sampled, NULL) : where_of(&trapped, &sampled);

	if (!an->report_atomics &&
	    (unseen ? (rt_verdict_atomic_frame(&sampled.frames) ||
		       sampled.atomic_type) :
		      rt_verdict_atomic_pair(an->go, &trapped, &sampled))) {
		r->state = ATOMIC;
		if (unseen)
			an->counts.atomic_unseen++;
		else
			an->counts.hits_atomic++;
		goto out;
	}
	if (unseen)
		an->counts.unseen_writers++;
	if (!an->keep_runtime &&
	    (rt_verdict_runtime_internal(&sampled.frames, an->go) ||
	     (!unseen &&
	      rt_verdict_runtime_internal(&trapped.frames, an->go)))) {
		r->state = FILTERED;
		an->counts.filtered_runtime++;
	} else if (rt_supp_match(an->supp, &sampled.frames,
				 unseen ? NULL : &trapped.frames)) {
		r->state = SUPPRESSED;
		an->counts.suppressed++;
	} else {
		r->state = REPORTED;
		if (!unseen)
			an->counts.races++;
		rt_fingerprint_hex(fp, fp_hex);
		rt_report_time(when, rec->timestamp_ns);
		rt_symbolizer_location(an->sym, sampled.addr, &loc);
		view = (struct rt_race_view){
			.rec = rec, .fingerprint = fp_hex, .comm = an->comm,
			.pid = an->pid, .time = when, .go = an->go,
			.trapped = unseen ? NULL : &trapped, .sampled = &sampled,
			.location = &loc,
		};
		emit(an, &(struct rt_report){
			.kind = unseen ? RT_REPORT_UNSEEN_WRITER : RT_REPORT_RACE,
			.priority = LOG_WARNING, .pid = an->pid, .race = &view,
		});
	}
out:
	rt_location_free(&loc);
	rt_frames_free(&trapped.frames);
	rt_frames_free(&sampled.frames);
	rt_frames_free(&trapped.created);
	rt_frames_free(&sampled.created);
}

static const char *end_reason(unsigned int reason)
{
	switch (reason) {
	case RACETRAP_END_DETACH: return "detached";
	case RACETRAP_END_EXIT: return "the target exited";
	case RACETRAP_END_EXEC: return "the target called exec";
	default: return "unknown reason";
	}
}

void rt_analyzer_feed(struct rt_analyzer *an,
		      const struct racetrap_record *rec)
{
	rt_analyzer_feed_dumps(an, rec, NULL);
}

void rt_analyzer_feed_dumps(struct rt_analyzer *an,
			    const struct racetrap_record *rec,
			    const struct racetrap_user_dump *const *dumps)
{
	an->counts.records++;
	switch (rec->type) {
	case RACETRAP_REC_HIT:
		if (rt_verdict_misattributed(rec) ||
		    rt_sides_trap_missed(an->sides, rec,
					 dumps ? dumps[RACETRAP_DUMP_TRAPPED] :
						 NULL)) {
			an->counts.hits_unattributed++;
			break;
		}
		if (rt_sides_overread_beside(an->sides, rec, dumps)) {
			an->counts.hits_overread++;
			break;
		}
		if (rt_sides_trap_read_read(an->sides, rec)) {
			an->counts.hits_read_read++;
			break;
		}
		handle_race(an, rec, dumps, false);
		break;
	case RACETRAP_REC_VALUE_CHANGE:
		/*
		 * The sampled instruction is atomic (lock prefix, xchg): the
		 * program treats the word as shared, and a writer nobody saw
		 * is most likely another atomic (or the kernel on a futex
		 * word).  A plain writer would be caught when its own side is
		 * sampled, so nothing is lost by not guessing here.
		 */
		if (rec->sampled.flags & RACETRAP_SIDE_F_LOCKED) {
			an->counts.atomic_unseen++;
			break;
		}
		/*
		 * A thread on a CPU without a breakpoint (brought online
		 * after the set was made) was not watched: it may be the
		 * writer, and a race-free program's atomic store (xchg,
		 * probed) or count decrement would look like an unseen
		 * writer here.  Its plain writes are caught when its own
		 * side is sampled.
		 */
		if (rec->flags & RACETRAP_REC_F_UNWATCHED) {
			an->counts.unwatched_unseen++;
			break;
		}
		handle_race(an, rec, dumps, true);
		break;
	case RACETRAP_REC_LOST:
		an->counts.lost += rec->lost;
		status(an, "lost", rec->lost, "%" PRIu64 " records lost (ring full)",
		       (uint64_t)rec->lost);
		break;
	case RACETRAP_REC_THROTTLE:
		if (an->throttle_reported_ns &&
		    rec->timestamp_ns - an->throttle_reported_ns <
		    THROTTLE_REPORT_INTERVAL_NS)
			break;
		an->throttle_reported_ns = rec->timestamp_ns ? rec->timestamp_ns : 1;
		status(an, "throttle", rec->lost,
		       "overhead budget reached: sampling pauses until the target's own CPU time pays for more, and resumes by itself (%" PRIu64
		       " %s skipped so far; the totals come at the end)",
		       (uint64_t)rec->lost, rec->lost == 1 ? "sample" : "samples");
		break;
	case RACETRAP_REC_END:
		status(an, "end", 0, "pid %d (%s): attachment ended: %s",
		       (int)an->pid, an->comm, end_reason(rec->end_reason));
		break;
	default:
		/* A newer module's record type: count it, report nothing. */
		break;
	}
}

void rt_analyzer_summary(struct rt_analyzer *an)
{
	struct rt_summary_entry *v = calloc(an->nr_races ? an->nr_races : 1,
					    sizeof(*v));
	char (*times)[2][40] = calloc(an->nr_races ? an->nr_races : 1,
				      sizeof(*times));
	char (*fps)[RT_FINGERPRINT_LEN] = calloc(an->nr_races ? an->nr_races : 1,
						 sizeof(*fps));
	char now[40];
	struct timespec ts;
	size_t n = 0;

	if (!v || !times || !fps)
		goto out;
	for (size_t i = 0; i < an->nr_races; i++) {
		const struct race *r = &an->races[i];

		if (r->state != REPORTED)
			continue;
		rt_fingerprint_hex(r->fp, fps[n]);
		rt_report_time(times[n][0], r->first_ns);
		rt_report_time(times[n][1], r->last_ns);
		v[n] = (struct rt_summary_entry){
			.fingerprint = fps[n], .unseen_writer = r->unseen_writer,
			.count = r->count, .first_seen = times[n][0],
			.last_seen = times[n][1], .site_a = r->site_a,
			.site_b = r->unseen_writer ? NULL : r->site_b,
			.where = r->where ? r->where : "??",
		};
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	rt_report_time(now, (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
	emit(an, &(struct rt_report){
		.kind = RT_REPORT_SUMMARY, .priority = n ? LOG_WARNING : LOG_INFO,
		.pid = an->pid,
		.summary = &(struct rt_summary_view){
			.comm = an->comm, .pid = an->pid, .time = now,
			.entries = v, .n = n, .counts = &an->counts,
		},
	});
out:
	free(v);
	free(times);
	free(fps);
}
