// SPDX-License-Identifier: GPL-2.0
/* render_json: reports as JSON Lines (Documentation/report-format.rst). */
#include <inttypes.h>
#include <stdio.h>

#include "json.h"
#include "sink.h"

static const char *json_kind(unsigned int access)
{
	switch (access) {
	case RACETRAP_ACCESS_READ: return "read";
	case RACETRAP_ACCESS_WRITE: return "write";
	case RACETRAP_ACCESS_RMW: return "rmw";
	default: return "unknown";
	}
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

/* "goroutine" and "created_at": null where the text names a thread. */
static void json_goroutine(struct rt_strbuf *b, const struct rt_side_view *s)
{
	rt_json_key(b, "goroutine", false);
	if (s->goroutine)
		rt_strbuf_printf(b, "%" PRIu64, s->goroutine);
	else
		rt_strbuf_puts(b, "null");
	rt_json_key(b, "created_at", false);
	if (s->created.n)
		json_stack(b, &s->created);
	else
		rt_strbuf_puts(b, "null");
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
	json_goroutine(b, s);
	rt_strbuf_puts(b, "}");
}

/* "type" and "schema", which open every object. */
static void json_head(struct rt_strbuf *b, const char *type)
{
	rt_strbuf_puts(b, "{");
	rt_json_key(b, "type", true);
	rt_json_str(b, type);
	rt_json_key(b, "schema", false);
	rt_strbuf_printf(b, "%d", RT_REPORT_SCHEMA);
}

static void json_location(struct rt_strbuf *b, const struct rt_race_view *v)
{
	const struct rt_location *loc = v->location;

	rt_json_key(b, "location", false);
	if (!loc) {
		rt_strbuf_puts(b, "null");
		return;
	}
	rt_strbuf_puts(b, "{");
	rt_json_key(b, "kind", true);
	rt_json_str(b, loc->global ? "global" : "heap");
	rt_json_key(b, "name", false);
	rt_json_str(b, loc->name);
	if (loc->name) {
		rt_json_key(b, "size", false);
		rt_strbuf_printf(b, "%" PRIu64, loc->size);
		json_hex(b, "start", loc->start);
	}
	if (loc->global) {
		rt_json_key(b, "module", false);
		rt_json_str(b, loc->module);
		json_hex(b, "offset", loc->module_addr);
	}
	rt_strbuf_puts(b, "}");
}

static void race_json(struct rt_strbuf *b, const struct rt_race_view *v)
{
	const struct racetrap_record *r = v->rec;
	struct rt_strbuf sum;
	char val[24];

	json_head(b, v->trapped ? "race" : "unseen_writer");
	rt_json_key(b, "fingerprint", false);
	rt_json_str(b, v->fingerprint);
	rt_json_key(b, "pid", false);
	rt_strbuf_printf(b, "%d", (int)v->pid);
	rt_json_key(b, "comm", false);
	rt_json_str(b, v->comm);
	rt_json_key(b, "trigger", false);
	rt_json_str(b, rt_report_trigger(r->trigger));
	json_hex(b, "address", v->sampled->addr);
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
	json_location(b, v);
	/* As the text: the later (sampled) access, then the previous one. */
	rt_json_key(b, "accesses", false);
	rt_strbuf_puts(b, "[");
	json_side(b, v->sampled);
	if (v->trapped) {
		rt_strbuf_puts(b, ",");
		json_side(b, v->trapped);
	}
	rt_strbuf_puts(b, "]");
	rt_strbuf_init(&sum);
	rt_report_summary(&sum, &v->sampled->frames);
	rt_json_key(b, "summary", false);
	rt_json_str(b, rt_strbuf_str(&sum));
	rt_strbuf_free(&sum);
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
			 ",\"hits_unattributed\":%" PRIu64
			 ",\"hits_overread\":%" PRIu64
			 ",\"hits_read_read\":%" PRIu64 "}",
			 c->records, c->races, c->repeats, c->unseen_writers,
			 c->filtered_runtime, c->suppressed, c->lost,
			 c->atomic_unseen, c->hits_atomic, c->unwatched_unseen,
			 c->hits_unattributed, c->hits_overread,
			 c->hits_read_read);
}

static void summary_json(struct rt_strbuf *b, const struct rt_summary_view *s)
{
	const struct rt_summary_entry *v = s->entries;

	json_head(b, "summary");
	rt_json_key(b, "pid", false);
	rt_strbuf_printf(b, "%d", (int)s->pid);
	rt_json_key(b, "comm", false);
	rt_json_str(b, s->comm);
	rt_json_key(b, "races", false);
	rt_strbuf_puts(b, "[");
	for (size_t i = 0; i < s->n; i++) {
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
	json_counts(b, s->counts);
	rt_json_key(b, "time", false);
	rt_json_str(b, s->time);
	rt_strbuf_puts(b, "}");
}

static void status_json(struct rt_strbuf *b, const struct rt_status_view *s)
{
	json_head(b, "status");
	rt_json_key(b, "event", false);
	rt_json_str(b, s->event);
	rt_json_key(b, "pid", false);
	rt_strbuf_printf(b, "%d", (int)s->pid);
	rt_json_key(b, "comm", false);
	rt_json_str(b, s->comm);
	rt_json_key(b, "count", false);
	rt_strbuf_printf(b, "%" PRIu64, s->count);
	rt_json_key(b, "message", false);
	rt_json_str(b, s->message);
	rt_strbuf_puts(b, "}");
}

void rt_render_json(struct rt_strbuf *b, const struct rt_report *r)
{
	if (r->race)
		race_json(b, r->race);
	else if (r->summary)
		summary_json(b, r->summary);
	else if (r->status)
		status_json(b, r->status);
}
