// SPDX-License-Identifier: GPL-2.0
/* report: race, summary and status reports as text or JSON Lines. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "json.h"
#include "report.h"

#define SEPARATOR "=================="

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

void rt_report_time(char out[40], uint64_t mono_ns)
{
	struct timespec mono, real;
	int64_t ns;
	time_t secs;
	struct tm tm;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	ns = (int64_t)real.tv_sec * 1000000000 + real.tv_nsec -
	     ((int64_t)mono.tv_sec * 1000000000 + mono.tv_nsec) +
	     (int64_t)mono_ns;
	secs = (time_t)(ns / 1000000000);
	gmtime_r(&secs, &tm);
	/* Years beyond 9999 would not fit: clamp rather than truncate. */
	if (tm.tm_year > 9999 - 1900 || tm.tm_year < 0)
		tm.tm_year = 0;
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ns % 1000000000 / 1000000));
}

static const char *kind_word(unsigned int access)
{
	switch (access) {
	case RACETRAP_ACCESS_READ: return "read";
	case RACETRAP_ACCESS_WRITE: return "write";
	case RACETRAP_ACCESS_RMW: return "read-modify-write";
	default: return "access";
	}
}

static const char *json_kind(unsigned int access)
{
	switch (access) {
	case RACETRAP_ACCESS_READ: return "read";
	case RACETRAP_ACCESS_WRITE: return "write";
	case RACETRAP_ACCESS_RMW: return "rmw";
	default: return "unknown";
	}
}

static const char *trigger_name(unsigned int t)
{
	switch (t) {
	case RACETRAP_REC_TRIGGER_SITE: return "site";
	case RACETRAP_REC_TRIGGER_CLOCK: return "clock";
	default: return "unknown";
	}
}

/* The watched bytes only: the rest of the u64 is not the variable. */
static uint64_t watched(uint64_t v, uint32_t len)
{
	return len && len < 8 ? v & ((1ULL << (8 * len)) - 1) : v;
}

/* A watched value as hex, or "unknown" when the kernel could not read it. */
void rt_report_value(char out[24], uint64_t v, uint32_t len, bool unknown)
{
	if (unknown)
		snprintf(out, 24, "unknown");
	else
		snprintf(out, 24, "0x%" PRIx64, watched(v, len));
}

/*
 * What the pair of values says: a trapped access caught before it ran
 * (RACETRAP_SIDE_F_PENDING) is not in the "after" value.
 */
const char *rt_report_value_note(const struct racetrap_record *r)
{
	if (r->flags & (RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN |
			RACETRAP_REC_F_VALUE_AFTER_UNKNOWN))
		return "";
	if (r->type == RACETRAP_REC_HIT &&
	    (r->trapped.flags & RACETRAP_SIDE_F_PENDING))
		return " (the other access had not run yet)";
	return watched(r->value_before, r->watch_len) ==
	       watched(r->value_after, r->watch_len) ? " (unchanged)" : "";
}

void rt_report_where(struct rt_strbuf *b, const struct rt_frames *f)
{
	const struct rt_frame *fr = f && f->n ? &f->v[0] : NULL;

	if (!fr) {
		rt_strbuf_puts(b, "??");
		return;
	}
	rt_strbuf_puts(b, fr->function ? fr->function : "??");
	if (fr->file)
		rt_strbuf_printf(b, " (%s:%d)", base_name(fr->file), fr->line);
	else if (fr->module)
		rt_strbuf_printf(b, " (%s+0x%" PRIx64 ")",
				 base_name(fr->module), fr->module_addr);
}

static void text_stack(struct rt_strbuf *b, const struct rt_frames *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct rt_frame *fr = &f->v[i];

		rt_strbuf_printf(b, "  #%zu ", i);
		if (!fr->module) {
			rt_strbuf_printf(b, "0x%" PRIx64 " (unknown)\n", fr->ip);
			continue;
		}
		rt_strbuf_puts(b, fr->function ? fr->function : "??");
		if (fr->file)
			rt_strbuf_printf(b, " %s:%d", fr->file, fr->line);
		rt_strbuf_printf(b, " (%s+0x%" PRIx64 ")\n",
				 base_name(fr->module), fr->module_addr);
	}
}

static void text_side(struct rt_strbuf *b, const struct rt_side_view *s,
		      bool concurrent)
{
	const char *kind = kind_word(s->access);
	char head[64];

	snprintf(head, sizeof(head), "%s%s%s", concurrent ? "concurrent " : "",
		 s->locked ? "atomic " : "", kind);
	head[0] = (char)(head[0] - 'a' + 'A');
	rt_strbuf_printf(b, "%s of size %u at 0x%" PRIx64 " by thread %d (%s):\n",
			 head, s->size, s->addr, (int)s->tid, s->thread);
	text_stack(b, &s->frames);
}

static void text_tail(struct rt_strbuf *b, const struct rt_race_view *v)
{
	const struct racetrap_record *r = v->rec;
	char before[24], after[24];

	rt_report_value(before, r->value_before, r->watch_len,
			r->flags & RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN);
	rt_report_value(after, r->value_after, r->watch_len,
			r->flags & RACETRAP_REC_F_VALUE_AFTER_UNKNOWN);
	rt_strbuf_printf(b, "Value before: %s, after: %s%s\n", before, after,
			 rt_report_value_note(r));
	rt_strbuf_printf(b, "Race fingerprint: %s  process: %s (pid %d)  trigger: %s  window: %" PRIu64 "us\n",
			 v->fingerprint, v->comm, (int)v->pid,
			 trigger_name(r->trigger), (uint64_t)r->window_ns / 1000);
	rt_strbuf_puts(b, SEPARATOR);
}

void rt_report_race_text(struct rt_strbuf *b, const struct rt_race_view *v)
{
	rt_strbuf_puts(b, SEPARATOR "\n");
	if (v->trapped) {
		rt_strbuf_puts(b, "WARNING: DATA RACE\n");
		text_side(b, v->trapped, false);
		text_side(b, v->sampled, true);
	} else {
		rt_strbuf_puts(b, "WARNING: DATA RACE (racing write from an unseen writer)\n");
		rt_strbuf_puts(b, "The value changed while this access waited, but no watched thread trapped:\n");
		text_side(b, v->sampled, false);
	}
	text_tail(b, v);
}

static void json_hex(struct rt_strbuf *b, const char *key, uint64_t v)
{
	rt_json_key(b, key, false);
	rt_strbuf_printf(b, "\"0x%" PRIx64 "\"", v);
}

static void json_stack(struct rt_strbuf *b, const struct rt_frames *f)
{
	rt_strbuf_puts(b, "[");
	for (size_t i = 0; i < f->n; i++) {
		const struct rt_frame *fr = &f->v[i];

		if (i)
			rt_strbuf_puts(b, ",");
		rt_strbuf_puts(b, "{");
		rt_json_key(b, "ip", true);
		rt_strbuf_printf(b, "\"0x%" PRIx64 "\"", fr->ip);
		rt_json_key(b, "function", false);
		rt_json_str(b, fr->function);
		rt_json_key(b, "file", false);
		rt_json_str(b, fr->file);
		rt_json_key(b, "line", false);
		rt_strbuf_printf(b, "%d", fr->line);
		rt_json_key(b, "module", false);
		rt_json_str(b, fr->module);
		json_hex(b, "offset", fr->module_addr);
		rt_json_key(b, "inlined", false);
		rt_strbuf_puts(b, fr->inlined ? "true" : "false");
		rt_strbuf_puts(b, "}");
	}
	rt_strbuf_puts(b, "]");
}

static void json_side(struct rt_strbuf *b, const struct rt_side_view *s)
{
	rt_strbuf_puts(b, "{");
	rt_json_key(b, "role", true);
	rt_json_str(b, s->role);
	rt_json_key(b, "tid", false);
	rt_strbuf_printf(b, "%d", (int)s->tid);
	rt_json_key(b, "thread", false);
	rt_json_str(b, s->thread);
	rt_json_key(b, "kind", false);
	rt_json_str(b, json_kind(s->access));
	rt_json_key(b, "atomic", false);
	rt_strbuf_puts(b, s->locked ? "true" : "false");
	rt_json_key(b, "size", false);
	rt_strbuf_printf(b, "%u", s->size);
	json_hex(b, "address", s->addr);
	rt_json_key(b, "site", false);
	rt_json_str(b, s->site);
	rt_json_key(b, "stack", false);
	json_stack(b, &s->frames);
	rt_strbuf_puts(b, "}");
}

void rt_report_race_json(struct rt_strbuf *b, const struct rt_race_view *v)
{
	const struct racetrap_record *r = v->rec;
	char val[24];

	rt_strbuf_puts(b, "{");
	rt_json_key(b, "type", true);
	rt_json_str(b, v->trapped ? "race" : "unseen_writer");
	rt_json_key(b, "fingerprint", false);
	rt_json_str(b, v->fingerprint);
	rt_json_key(b, "pid", false);
	rt_strbuf_printf(b, "%d", (int)v->pid);
	rt_json_key(b, "comm", false);
	rt_json_str(b, v->comm);
	rt_json_key(b, "trigger", false);
	rt_json_str(b, trigger_name(r->trigger));
	json_hex(b, "address", v->trapped ? v->trapped->addr : v->sampled->addr);
	json_hex(b, "watch_address", r->watch_addr);
	rt_json_key(b, "watch_size", false);
	rt_strbuf_printf(b, "%u", r->watch_len);
	rt_report_value(val, r->value_before, r->watch_len,
			r->flags & RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN);
	rt_json_key(b, "value_before", false);
	rt_json_str(b, val);
	rt_report_value(val, r->value_after, r->watch_len,
			r->flags & RACETRAP_REC_F_VALUE_AFTER_UNKNOWN);
	rt_json_key(b, "value_after", false);
	rt_json_str(b, val);
	rt_json_key(b, "window_us", false);
	rt_strbuf_printf(b, "%" PRIu64, (uint64_t)r->window_ns / 1000);
	rt_json_key(b, "accesses", false);
	rt_strbuf_puts(b, "[");
	if (v->trapped) {
		json_side(b, v->trapped);
		rt_strbuf_puts(b, ",");
	}
	json_side(b, v->sampled);
	rt_strbuf_puts(b, "]");
	rt_json_key(b, "time", false);
	rt_json_str(b, v->time);
	rt_strbuf_puts(b, "}");
}

static void json_counts(struct rt_strbuf *b, const struct rt_analyzer_counts *c)
{
	rt_strbuf_printf(b, "{\"records\":%" PRIu64 ",\"races\":%" PRIu64
			 ",\"repeats\":%" PRIu64 ",\"unseen_writers\":%" PRIu64
			 ",\"filtered_runtime\":%" PRIu64 ",\"suppressed\":%" PRIu64
			 ",\"lost\":%" PRIu64 ",\"atomic_unseen\":%" PRIu64
			 ",\"hits_atomic\":%" PRIu64
			 ",\"unwatched_unseen\":%" PRIu64
			 ",\"hits_unattributed\":%" PRIu64 "}",
			 c->records, c->races, c->repeats, c->unseen_writers,
			 c->filtered_runtime, c->suppressed, c->lost,
			 c->atomic_unseen, c->hits_atomic, c->unwatched_unseen,
			 c->hits_unattributed);
}

void rt_report_summary(struct rt_strbuf *b, bool json, const char *comm,
		       pid_t pid, const char *time,
		       const struct rt_summary_entry *v, size_t n,
		       const struct rt_analyzer_counts *c)
{
	if (!json) {
		rt_strbuf_printf(b, "racetrap: summary for %s (pid %d): %" PRIu64
				 " races (%" PRIu64 " repeats), %" PRIu64
				 " unseen-writer events, %" PRIu64
				 " runtime-internal hits filtered, %" PRIu64
				 " suppressed, %" PRIu64 " records lost",
				 comm, (int)pid, c->races, c->repeats,
				 c->unseen_writers, c->filtered_runtime,
				 c->suppressed, c->lost);
		if (c->atomic_unseen)
			rt_strbuf_printf(b, ", %" PRIu64 " value changes at atomic"
					 " instructions ignored", c->atomic_unseen);
		if (c->hits_atomic)
			rt_strbuf_printf(b, ", %" PRIu64 " atomic pairs not reported"
					 " (--report-atomics)", c->hits_atomic);
		if (c->hits_unattributed)
			rt_strbuf_printf(b, ", %" PRIu64 " traps on a store that"
					 " did not touch the word ignored",
					 c->hits_unattributed);
		if (c->unwatched_unseen)
			rt_strbuf_printf(b, ", %" PRIu64 " value changes while a"
					 " stepping thread was unwatched ignored",
					 c->unwatched_unseen);
		for (size_t i = 0; i < n; i++)
			rt_strbuf_printf(b, "\n  %s  %s%" PRIu64 " hits  first %s  last %s  %s",
					 v[i].fingerprint,
					 v[i].unseen_writer ? "unseen writer  " : "",
					 v[i].count, v[i].first_seen,
					 v[i].last_seen, v[i].where);
		return;
	}
	rt_strbuf_puts(b, "{");
	rt_json_key(b, "type", true);
	rt_json_str(b, "summary");
	rt_json_key(b, "pid", false);
	rt_strbuf_printf(b, "%d", (int)pid);
	rt_json_key(b, "comm", false);
	rt_json_str(b, comm);
	rt_json_key(b, "races", false);
	rt_strbuf_puts(b, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			rt_strbuf_puts(b, ",");
		rt_strbuf_puts(b, "{");
		rt_json_key(b, "fingerprint", true);
		rt_json_str(b, v[i].fingerprint);
		rt_json_key(b, "type", false);
		rt_json_str(b, v[i].unseen_writer ? "unseen_writer" : "race");
		rt_json_key(b, "count", false);
		rt_strbuf_printf(b, "%" PRIu64, v[i].count);
		rt_json_key(b, "first_seen", false);
		rt_json_str(b, v[i].first_seen);
		rt_json_key(b, "last_seen", false);
		rt_json_str(b, v[i].last_seen);
		rt_json_key(b, "sites", false);
		rt_strbuf_puts(b, "[");
		rt_json_str(b, v[i].site_a);
		if (v[i].site_b) {
			rt_strbuf_puts(b, ",");
			rt_json_str(b, v[i].site_b);
		}
		rt_strbuf_puts(b, "]");
		rt_json_key(b, "where", false);
		rt_json_str(b, v[i].where);
		rt_strbuf_puts(b, "}");
	}
	rt_strbuf_puts(b, "]");
	rt_json_key(b, "counts", false);
	json_counts(b, c);
	rt_json_key(b, "time", false);
	rt_json_str(b, time);
	rt_strbuf_puts(b, "}");
}

void rt_report_status(struct rt_strbuf *b, bool json, const char *event,
		      const char *comm, pid_t pid, uint64_t count,
		      const char *message)
{
	if (!json) {
		rt_strbuf_printf(b, "racetrap: %s", message);
		return;
	}
	rt_strbuf_puts(b, "{");
	rt_json_key(b, "type", true);
	rt_json_str(b, "status");
	rt_json_key(b, "event", false);
	rt_json_str(b, event);
	rt_json_key(b, "pid", false);
	rt_strbuf_printf(b, "%d", (int)pid);
	rt_json_key(b, "comm", false);
	rt_json_str(b, comm);
	rt_json_key(b, "count", false);
	rt_strbuf_printf(b, "%" PRIu64, count);
	rt_json_key(b, "message", false);
	rt_json_str(b, message);
	rt_strbuf_puts(b, "}");
}
