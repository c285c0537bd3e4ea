// SPDX-License-Identifier: GPL-2.0
/* render_text: reports as the text a person reads in a terminal or log. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sink.h"

#define SEPARATOR "=================="

static const char *kind_word(unsigned int access)
{
	switch (access) {
	case RACETRAP_ACCESS_READ: return "read";
	case RACETRAP_ACCESS_WRITE: return "write";
	case RACETRAP_ACCESS_RMW: return "read-modify-write";
	default: return "access";
	}
}

/*
 * Indents: TSan's blocks by 2 and frames by 4; Go's -race blocks by 0 and
 * frames by 2, each frame on two lines.
 */
struct layout {
	const char *block, *frame;
	bool go;
};

/* Where a frame is: "FILE:LINE (module+0x...)", or less. */
static void text_where(struct rt_strbuf *b, const struct rt_frame *fr)
{
	if (!fr->module) {
		rt_strbuf_printf(b, "0x%" PRIx64 " (unknown)\n", fr->ip);
		return;
	}
	if (fr->file)
		rt_strbuf_printf(b, "%s:%d ", fr->file, fr->line);
	rt_strbuf_printf(b, "(%s+0x%" PRIx64 ")\n",
			 rt_report_base_name(fr->module), fr->module_addr);
}

/*
 * TSan's "#0 func file:line (module+0x...)"; Go's "func()" over its
 * "file:line", where racetrap writes (module+0x...) for Go's +0xPCOFF.
 */
static void text_stack(struct rt_strbuf *b, const struct layout *l,
		       const struct rt_frames *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct rt_frame *fr = &f->v[i];
		const char *fn = fr->function ? fr->function : "??";

		if (l->go) {
			rt_strbuf_printf(b, "%s%s()\n%s    ", l->frame, fn,
					 l->frame);
		} else {
			rt_strbuf_printf(b, "%s#%zu ", l->frame, i);
			if (fr->module)
				rt_strbuf_printf(b, "%s ", fn);
		}
		text_where(b, fr);
	}
}

/*
 * "Read of size 8 at 0x... by thread 1234 (comm):" (TSan) or "Read at
 * 0x... by goroutine 17:" (Go; "by main goroutine", and the thread when
 * the goroutine is unknown), "Previous write ..." for the trapped
 * access, then its stack and a blank line.
 */
static void text_side(struct rt_strbuf *b, const struct layout *l,
		      const struct rt_side_view *s, bool previous)
{
	char head[64];

	snprintf(head, sizeof(head), "%s%s%s", previous ? "previous " : "",
		 s->locked ? "atomic " : "", kind_word(s->access));
	head[0] = (char)(head[0] - 'a' + 'A');
	rt_strbuf_printf(b, "%s%s", l->block, head);
	if (!l->go)
		rt_strbuf_printf(b, " of size %u", s->size);
	rt_strbuf_printf(b, " at 0x%" PRIx64 " by ", s->addr);
	if (s->goroutine == 1)
		rt_strbuf_puts(b, "main goroutine:\n");
	else if (s->goroutine)
		rt_strbuf_printf(b, "goroutine %" PRIu64 ":\n", s->goroutine);
	else
		rt_strbuf_printf(b, "thread %d (%s):\n", (int)s->tid, s->thread);
	text_stack(b, l, &s->frames);
	rt_strbuf_puts(b, "\n");
}

/*
 * Go's "Goroutine 17 (running) created at:" and the `go` statement's
 * frame; both sides were running when caught.  None for the main
 * goroutine (Go prints none) or an unknown one, one for a goroutine on
 * both sides.
 */
static void text_goroutines(struct rt_strbuf *b, const struct layout *l,
			    const struct rt_race_view *v)
{
	const struct rt_side_view *sides[] = { v->sampled, v->trapped };

	for (size_t i = 0; i < 2; i++) {
		const struct rt_side_view *s = sides[i];

		if (!s || !s->goroutine || !s->created.n ||
		    (i && v->sampled->goroutine == s->goroutine))
			continue;
		rt_strbuf_printf(b, "%sGoroutine %" PRIu64 " (running) created at:\n",
				 l->block, s->goroutine);
		text_stack(b, l, &s->created);
		rt_strbuf_puts(b, "\n");
	}
}

static void text_location(struct rt_strbuf *b, const struct layout *l,
			  const struct rt_race_view *v)
{
	const struct rt_location *loc = v->location;
	uint64_t addr = v->sampled->addr;

	if (!loc)
		return;
	rt_strbuf_printf(b, "%sLocation is ", l->block);
	if (!loc->global) {
		rt_strbuf_printf(b, "heap at 0x%" PRIx64 "\n\n", addr);
		return;
	}
	rt_strbuf_puts(b, "global ");
	if (loc->name) {
		rt_strbuf_printf(b, "'%s' of size %" PRIu64 " ", loc->name,
				 loc->size);
		addr = loc->start;
	}
	rt_strbuf_printf(b, "at 0x%" PRIx64, addr);
	if (loc->module)
		rt_strbuf_printf(b, " (%s+0x%" PRIx64 ")",
				 rt_report_base_name(loc->module),
				 loc->module_addr - (v->sampled->addr - addr));
	rt_strbuf_puts(b, "\n\n");
}

static void text_tail(struct rt_strbuf *b, const struct layout *l,
		      const struct rt_race_view *v)
{
	const struct racetrap_record *r = v->rec;
	char before[24], after[24];

	text_location(b, l, v);
	text_goroutines(b, l, v);
	rt_report_value(before, r->value_before, r->watch_len,
			r->flags & RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN);
	rt_report_value(after, r->value_after, r->watch_len,
			r->flags & RACETRAP_REC_F_VALUE_AFTER_UNKNOWN);
	rt_strbuf_printf(b, "%sValue before: %s, after: %s%s\n", l->block,
			 before, after, rt_report_value_note(r));
	rt_strbuf_printf(b, "%sRace fingerprint: %s  process: %s (pid %d)  trigger: %s  window: %" PRIu64 "us\n\n",
			 l->block, v->fingerprint, v->comm, (int)v->pid,
			 rt_report_trigger(r->trigger), (uint64_t)r->window_ns / 1000);
	rt_strbuf_puts(b, "SUMMARY: racetrap: ");
	rt_report_summary(b, &v->sampled->frames);
	rt_strbuf_puts(b, "\n" SEPARATOR);
}

/*
 * Go's -race and TSan's layout: the later access first, the earlier one
 * as "Previous ...", blank lines between blocks, the variable, where the
 * goroutines were created, then racetrap's own lines and TSan's SUMMARY.
 * Both triggers hold the sampled thread before its access, so the trapped
 * one came first.
 */
static void race_text(struct rt_strbuf *b, const struct rt_race_view *v)
{
	const struct layout l = v->go ?
		(struct layout){ .block = "", .frame = "  ", .go = true } :
		(struct layout){ .block = "  ", .frame = "    " };

	rt_strbuf_puts(b, SEPARATOR "\n");
	if (v->trapped) {
		rt_strbuf_puts(b, "WARNING: DATA RACE\n");
		text_side(b, &l, v->sampled, false);
		text_side(b, &l, v->trapped, true);
	} else {
		rt_strbuf_puts(b, "WARNING: DATA RACE (racing write from an unseen writer)\n");
		text_side(b, &l, v->sampled, false);
		rt_strbuf_printf(b, "%sPrevious write by an unseen writer: the value changed while this access waited, but no watched thread trapped\n\n",
				 l.block);
	}
	text_tail(b, &l, v);
}

static void summary_text(struct rt_strbuf *b, const struct rt_summary_view *s)
{
	const struct rt_analyzer_counts *c = s->counts;
	const struct rt_summary_entry *v = s->entries;

	rt_strbuf_printf(b, "racetrap: summary for %s (pid %d): %" PRIu64
			 " %s (%" PRIu64 " %s), %" PRIu64
			 " unseen-writer %s, %" PRIu64
			 " runtime-internal %s filtered, %" PRIu64
			 " suppressed, %" PRIu64 " %s lost",
			 s->comm, (int)s->pid, c->races,
			 rt_plural(c->races, "race", "races"), c->repeats,
			 rt_plural(c->repeats, "repeat", "repeats"),
			 c->unseen_writers,
			 rt_plural(c->unseen_writers, "event", "events"),
			 c->filtered_runtime,
			 rt_plural(c->filtered_runtime, "hit", "hits"),
			 c->suppressed, c->lost,
			 rt_plural(c->lost, "record", "records"));
	if (c->atomic_unseen)
		rt_strbuf_printf(b, ", %" PRIu64 " value %s at atomic"
				 " instructions ignored", c->atomic_unseen,
				 rt_plural(c->atomic_unseen, "change", "changes"));
	if (c->hits_atomic)
		rt_strbuf_printf(b, ", %" PRIu64 " atomic %s not reported"
				 " (--report-atomics)", c->hits_atomic,
				 rt_plural(c->hits_atomic, "pair", "pairs"));
	if (c->hits_unattributed)
		rt_strbuf_printf(b, ", %" PRIu64 " %s on a store that"
				 " did not touch the word ignored",
				 c->hits_unattributed,
				 rt_plural(c->hits_unattributed, "trap", "traps"));
	if (c->hits_overread)
		rt_strbuf_printf(b, ", %" PRIu64 " %s beside the bytes a"
				 " wide read used ignored", c->hits_overread,
				 rt_plural(c->hits_overread, "trap", "traps"));
	if (c->hits_read_read)
		rt_strbuf_printf(b, ", %" PRIu64 " %s of a read against a"
				 " read ignored", c->hits_read_read,
				 rt_plural(c->hits_read_read, "trap", "traps"));
	if (c->unwatched_unseen)
		rt_strbuf_printf(b, ", %" PRIu64 " value %s while a"
				 " thread was unwatched ignored",
				 c->unwatched_unseen,
				 rt_plural(c->unwatched_unseen, "change", "changes"));
	for (size_t i = 0; i < s->n; i++)
		rt_strbuf_printf(b, "\n  %s  %s%" PRIu64 " %s  first %s  last %s  %s",
				 v[i].fingerprint,
				 v[i].unseen_writer ? "unseen writer  " : "",
				 v[i].count, rt_plural(v[i].count, "hit", "hits"),
				 v[i].first_seen,
				 v[i].last_seen, v[i].where);
}

void rt_render_text(struct rt_strbuf *b, const struct rt_report *r)
{
	if (r->race)
		race_text(b, r->race);
	else if (r->summary)
		summary_text(b, r->summary);
	else if (r->status)
		rt_strbuf_printf(b, "racetrap: %s", r->status->message);
}
