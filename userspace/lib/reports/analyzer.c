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
#include "sink.h"
#include "suppress.h"
#include "symbolize.h"
#include "verdict.h"

struct table {
	uint32_t id;
	char *path;
	char build_id[RT_BUILD_ID_MAX];
	uint64_t map_start, map_offset;
	struct racetrap_site *sites;	/* sorted by offset, as decoded */
	size_t nr_sites;
};

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
	struct rt_suppressions *supp;
	struct table *tables;
	size_t nr_tables;
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

static void read_comm(pid_t pid, pid_t tid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
			 (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	/* A thread can end between its access and our read of the record. */
	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "%s", tid ? "exited" : "?");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

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
	read_comm(pid, 0, an->comm, sizeof(an->comm));
	if (opts->suppressions) {
		an->supp = rt_supp_load(opts->suppressions, err, errlen);
		if (!an->supp)
			goto err;
	}
	an->sym = rt_symbolizer_new(pid, err, errlen);
	if (!an->sym)
		goto err;
	return an;
err:
	rt_analyzer_free(an);
	return NULL;
}

void rt_analyzer_free(struct rt_analyzer *an)
{
	if (!an)
		return;
	for (size_t i = 0; i < an->nr_tables; i++) {
		free(an->tables[i].path);
		free(an->tables[i].sites);
	}
	free(an->tables);
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
	struct table *t = NULL;

	for (size_t i = 0; i < an->nr_tables; i++)
		if (an->tables[i].id == table_id)
			t = &an->tables[i];
	if (!t) {
		t = realloc(an->tables, (an->nr_tables + 1) * sizeof(*t));
		if (!t)
			return;
		an->tables = t;
		t = &an->tables[an->nr_tables++];
		t->path = NULL;
		t->sites = NULL;
	}
	free(t->path);
	free(t->sites);
	t->nr_sites = 0;
	/* Without them a trap is placed by decoding from its symbol. */
	t->sites = nr_sites ? malloc(nr_sites * sizeof(*sites)) : NULL;
	if (t->sites) {
		memcpy(t->sites, sites, nr_sites * sizeof(*sites));
		t->nr_sites = nr_sites;
	}
	t->id = table_id;
	t->path = strdup(path ? path : "");
	snprintf(t->build_id, sizeof(t->build_id), "%s", build_id ? build_id : "");
	t->map_start = map_start;
	t->map_offset = map_offset;
	/* A new table means new code mapped (or an exec): see it now. */
	rt_symbolizer_refresh(an->sym);
	read_comm(an->pid, 0, an->comm, sizeof(an->comm));
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

static void status(struct rt_analyzer *an, const char *event, uint64_t count,
		   const char *fmt, ...)
{
	struct rt_status_view v = {
		.event = event, .comm = an->comm, .pid = an->pid, .count = count,
	};
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v.message = msg;
	emit(an, &(struct rt_report){ .kind = RT_REPORT_STATUS,
				      .priority = LOG_INFO, .pid = an->pid,
				      .status = &v });
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

/* --- sides --- */

static const struct table *table_by_id(const struct rt_analyzer *an,
				       uint32_t id)
{
	for (size_t i = 0; i < an->nr_tables; i++)
		if (an->tables[i].id == id)
			return &an->tables[i];
	return NULL;
}

static void site_of(struct rt_analyzer *an, uint64_t addr,
		    char out[RT_SITE_NAME_MAX])
{
	char bid[RT_BUILD_ID_MAX];
	uint64_t off;

	if (rt_symbolizer_site(an->sym, addr, bid, &off) == 0)
		rt_site_name(out, bid, off);
	else
		rt_site_name(out, "", addr);	/* unstable, but honest */
}

/* The sampled access: the table says where it is in its file. */
static void sampled_site(struct rt_analyzer *an,
			 const struct racetrap_record *rec,
			 char out[RT_SITE_NAME_MAX])
{
	const struct table *t = table_by_id(an, rec->site_table);

	if (t)
		rt_site_name(out, t->build_id, rec->site_offset);
	else
		site_of(an, rec->sampled.ip, out);
}

/*
 * The decoded site of @bid's file that ends at file offset @end: the
 * instruction a data watchpoint trapped after.  Sites are sorted by
 * offset and do not overlap, so their ends are sorted too.
 */
static const struct racetrap_site *site_ending_at(const struct rt_analyzer *an,
						 const char *bid, uint64_t end)
{
	for (size_t i = 0; i < an->nr_tables; i++) {
		const struct table *t = &an->tables[i];
		size_t lo = 0, hi = t->nr_sites;

		if (!*bid || strcmp(t->build_id, bid))
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			uint64_t e = t->sites[mid].offset + t->sites[mid].len;

			if (e == end)
				return &t->sites[mid];
			if (e < end)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

/*
 * The trapped access: the IP is after it (a data watchpoint is a trap).
 * The decoded site ending there names it, so the site is the one the
 * other side's sampling would name, symbols or not; failing that, the
 * instruction ending there decoded from its function's start; failing
 * that (no symbol), the byte before the IP, as perf names return
 * addresses.  @site gets the site's name.
 */
static uint64_t trapped_access_ip(struct rt_analyzer *an,
				  const struct racetrap_side *s,
				  char site[RT_SITE_NAME_MAX])
{
	const struct racetrap_site *ts;
	char bid[RT_BUILD_ID_MAX];
	uint64_t start, off;

	if (!(s->flags & RACETRAP_SIDE_F_AFTER)) {
		site_of(an, s->ip, site);
		return s->ip;
	}
	/* ip - 1: the access may end its mapping. */
	if (rt_symbolizer_site(an->sym, s->ip - 1, bid, &off) == 0 &&
	    (ts = site_ending_at(an, bid, off + 1))) {
		rt_site_name(site, bid, ts->offset);
		return s->ip - ts->len;
	}
	if (rt_symbolizer_insn_before(an->sym, s->ip, &start))
		start = s->ip - 1;
	site_of(an, start, site);
	return start;
}

/*
 * The trapping side's address is computed only for a known site, from
 * registers after the access: an instruction that loads into its own
 * base register (mov rax, [rax]) leaves a wrong one.  The watchpoint
 * fired, so the access overlapped the watched range: trust that instead.
 */
static uint64_t side_addr(const char *role, const struct racetrap_side *s,
			  const struct racetrap_record *rec)
{
	if (!strcmp(role, "sampled"))
		return s->addr;
	if ((s->flags & RACETRAP_SIDE_F_KNOWN) &&
	    rt_verdict_overlaps(s->addr, s->size ? s->size : 1, rec->watch_addr,
		     rec->watch_len ? rec->watch_len : 1))
		return s->addr;
	return rec->watch_addr;
}

/*
 * The frames past the access, as return addresses: the kernel's
 * frame-pointer walk where it is as long as the unwind of the stack dump
 * through the CFI, the unwind where that goes further (code built
 * without frame pointers, where the walk stops after a frame or two).
 */
static unsigned int caller_frames(struct rt_analyzer *an,
				  const struct racetrap_side *s,
				  const struct racetrap_user_dump *dump,
				  uint64_t out[RACETRAP_MAX_STACK])
{
	unsigned int n = s->nr_frames, fp = 1, depth = an->stack_depth;
	uint64_t pcs[RACETRAP_MAX_STACK];
	size_t nd;

	if (n > RACETRAP_MAX_STACK)
		n = RACETRAP_MAX_STACK;
	/*
	 * The kernel's frame-pointer walk checks what it can without the
	 * mappings; a return address outside executable code is data read
	 * through a %rbp that held no frame, and so is everything past it.
	 */
	while (fp < n && rt_symbolizer_is_code(an->sym, s->stack[fp]))
		fp++;
	memcpy(out, s->stack, fp * sizeof(out[0]));
	if (!dump || fp >= depth)
		return fp;
	nd = rt_symbolizer_unwind(an->sym, (pid_t)s->tid, dump, pcs, depth);
	while (nd > 1 && !rt_symbolizer_is_code(an->sym, pcs[nd - 1]))
		nd--;
	if (nd <= fp)
		return fp;
	memcpy(out, pcs, nd * sizeof(out[0]));
	return (unsigned int)nd;
}

static void fill_side(struct rt_analyzer *an, struct rt_side_view *v,
		      const char *role, const struct racetrap_side *s,
		      uint64_t access_ip, const struct racetrap_record *rec,
		      const struct racetrap_user_dump *dump)
{
	uint64_t stack[RACETRAP_MAX_STACK];
	unsigned int n = caller_frames(an, s, dump, stack);

	v->role = role;
	v->tid = (pid_t)s->tid;
	read_comm(an->pid, v->tid, v->thread, sizeof(v->thread));
	v->access = s->access;
	v->locked = s->flags & RACETRAP_SIDE_F_LOCKED;
	v->size = s->size ? s->size : rec->watch_len;
	v->addr = side_addr(role, s, rec);
	/* Frame 0 is the access itself; the rest are return addresses. */
	rt_symbolize(an->sym, access_ip, false, &v->frames);
	for (unsigned int i = 1; i < n; i++) {
		if (!rt_symbolizer_is_code(an->sym, stack[i]))
			break;
		rt_symbolize(an->sym, stack[i], true, &v->frames);
	}
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

	sampled_site(an, rec, site_a);
	if (!unseen) {
		trap_ip = trapped_access_ip(an, &rec->trapped, site_b);
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

	fill_side(an, &sampled, "sampled", &rec->sampled, rec->sampled.ip, rec,
		  dumps ? dumps[RACETRAP_DUMP_SAMPLED] : NULL);
	memcpy(sampled.site, site_a, sizeof(site_a));
	if (!unseen) {
		fill_side(an, &trapped, "trapped", &rec->trapped, trap_ip, rec,
			  dumps ? dumps[RACETRAP_DUMP_TRAPPED] : NULL);
		memcpy(trapped.site, site_b, sizeof(site_b));
	}
	r->where = unseen ? where_of(&sampled, NULL) : where_of(&trapped, &sampled);

	if (!an->report_atomics &&
	    (unseen ? rt_verdict_go_atomic(&sampled.frames) :
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
	    (rt_verdict_runtime_internal(&sampled.frames) ||
	     (!unseen && rt_verdict_runtime_internal(&trapped.frames)))) {
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
		if (rt_verdict_misattributed(rec)) {
			an->counts.hits_unattributed++;
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
		 * A thread single-stepping a uprobe was not watched: its step
		 * may be the writer, and a race-free program's atomic store
		 * (xchg, probed) would look like an unseen writer here.  Its
		 * plain writes are caught when its own side is sampled.
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
