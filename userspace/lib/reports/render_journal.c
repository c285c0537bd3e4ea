// SPDX-License-Identifier: GPL-2.0
/*
 * render_journal: the fields journald indexes, so `journalctl
 * RACETRAP_FINGERPRINT=...` finds one race on every host and in every run.
 */
#include <stdio.h>

#include "sink.h"

static void field(struct rt_strbuf *b, const char *name, const char *value)
{
	if (value && *value)
		rt_strbuf_printf(b, "%s=%s\n", name, value);
}

void rt_render_journal(struct rt_strbuf *b, const struct rt_report *r)
{
	const struct rt_race_view *v = r->race;

	if (r->pid > 0)
		rt_strbuf_printf(b, "RACETRAP_PID=%d\n", (int)r->pid);
	if (!v)
		return;
	field(b, "RACETRAP_FINGERPRINT", v->fingerprint);
	field(b, "RACETRAP_SITE_A", v->sampled->site);
	if (v->trapped)
		field(b, "RACETRAP_SITE_B", v->trapped->site);
}
