// SPDX-License-Identifier: GPL-2.0
/* report: the pieces of a report the analyzer and every renderer share. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"

const char *rt_report_base_name(const char *path)
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

const char *rt_report_trigger(unsigned int t)
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
		rt_strbuf_printf(b, " (%s:%d)", rt_report_base_name(fr->file), fr->line);
	else if (fr->module)
		rt_strbuf_printf(b, " (%s+0x%" PRIx64 ")",
				 rt_report_base_name(fr->module), fr->module_addr);
}

void rt_report_summary(struct rt_strbuf *b, const struct rt_frames *f)
{
	const struct rt_frame *fr = f && f->n ? &f->v[0] : NULL;

	rt_strbuf_puts(b, "data race ");
	if (fr && fr->file)
		rt_strbuf_printf(b, "%s:%d", fr->file, fr->line);
	else if (fr && fr->module)
		rt_strbuf_printf(b, "(%s+0x%" PRIx64 ")",
				 rt_report_base_name(fr->module), fr->module_addr);
	else
		rt_strbuf_printf(b, "0x%" PRIx64, fr ? fr->ip : 0);
	rt_strbuf_printf(b, " in %s", fr && fr->function ? fr->function : "??");
}
