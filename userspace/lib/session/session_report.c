// SPDX-License-Identifier: GPL-2.0
/* session_report: a session's own status reports and its final summary. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "session_priv.h"
#include "sink.h"

/*
 * A status report of the session itself (attached, a library skipped):
 * the same kind of report as the analyzer's, so sinks render both alike.
 */
void session_status(struct rt_session *s, int priority, const char *event,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_sink_vstatus(s->emit, s->emit_arg, priority, s->pid, s->comm, event,
			0, fmt, ap);
	va_end(ap);
}

/*
 * The sampling state in one line: while it lasts the budget's pauses are
 * only announced (the kernel says when one starts, not when it ends), so
 * the end says what they cost: how many samples they skipped and how
 * much of the attached time sampling was held back.
 */
static void sampling_line(struct rt_session *s)
{
	uint64_t attached_ms = now_ms() - s->started_ms, held_ms, taken, skipped;
	uint64_t pauses;
	struct racetrap_stats st;

	if (rt_kapi_stats(&s->k, &st) || st.nr_counters <= RACETRAP_STAT_SKIP_BUDGET)
		return;
	/* Taken: a window opened.  The budget refuses some before they are
	 * drawn (clock ticks) and some after (SAMPLES_*): count windows. */
	taken = st.counters[RACETRAP_STAT_WATCHES];
	skipped = st.counters[RACETRAP_STAT_SKIP_BUDGET];
	pauses = st.counters[RACETRAP_STAT_THROTTLED];
	held_ms = st.nr_counters > RACETRAP_STAT_THROTTLED_NS ?
		  st.counters[RACETRAP_STAT_THROTTLED_NS] / 1000000 : 0;
	if (held_ms > attached_ms)
		held_ms = attached_ms;
	if (!pauses) {
		session_status(s, LOG_INFO, "sampling",
		       "pid %d: %" PRIu64 " %s taken; the overhead budget never held sampling back",
		       (int)s->pid, taken, rt_plural(taken, "sample", "samples"));
		return;
	}
	session_status(s, LOG_INFO, "sampling",
	       "pid %d: %" PRIu64 " %s taken, %" PRIu64 " skipped by the overhead budget, which paused sampling %" PRIu64 " %s, for %" PRIu64 ".%01" PRIu64 " s of %" PRIu64 ".%01" PRIu64 " s attached (%" PRIu64 "%%)",
	       (int)s->pid, taken, rt_plural(taken, "sample", "samples"), skipped,
	       pauses, rt_plural(pauses, "time", "times"), held_ms / 1000,
	       held_ms % 1000 / 100, attached_ms / 1000,
	       attached_ms % 1000 / 100,
	       attached_ms ? held_ms * 100 / attached_ms : 0);
}

void rt_session_summary(struct rt_session *s)
{
	sampling_line(s);
	rt_analyzer_summary(s->an);
}
