/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sink that keeps every report as the CLI renders it (text, or JSON
 * with @json set) with its journald fields, and synthetic records built
 * from the real addresses of a live test-data process.
 */
#ifndef RT_CAPTURE_H
#define RT_CAPTURE_H

#include "analyzer.h"
#include "sink.h"
#include "livesites.h"

#define CAPTURE_MAX 32

struct capture {
	bool json;		/* render as JSON, as --json does */
	int n;
	enum rt_report_kind kind[CAPTURE_MAX];
	int priority[CAPTURE_MAX];
	char *text[CAPTURE_MAX];
	char fingerprint[CAPTURE_MAX][32];
	char site_a[CAPTURE_MAX][80], site_b[CAPTURE_MAX][80];
};

/* The value of journald field @name in @fields ("" if absent). */
static inline void capture_field(char *out, size_t len, const char *fields,
				 const char *name)
{
	size_t n = strlen(name);
	const char *p = fields;

	out[0] = '\0';
	while (p && *p) {
		const char *nl = strchrnul(p, '\n');

		if (!strncmp(p, name, n) && p[n] == '=') {
			snprintf(out, len, "%.*s", (int)(nl - p - n - 1), p + n + 1);
			return;
		}
		p = *nl ? nl + 1 : nl;
	}
}

static inline void capture_emit(void *arg, const struct rt_report *r)
{
	struct capture *c = arg;
	struct rt_strbuf text, fields;

	if (c->n >= CAPTURE_MAX)
		return;
	rt_strbuf_init(&text);
	rt_strbuf_init(&fields);
	if (c->json)
		rt_render_json(&text, r);
	else
		rt_render_text(&text, r);
	rt_render_journal(&fields, r);
	c->kind[c->n] = r->kind;
	c->priority[c->n] = r->priority;
	c->text[c->n] = strdup(rt_strbuf_str(&text));
	capture_field(c->fingerprint[c->n], 32, rt_strbuf_str(&fields),
		      "RACETRAP_FINGERPRINT");
	capture_field(c->site_a[c->n], 80, rt_strbuf_str(&fields),
		      "RACETRAP_SITE_A");
	capture_field(c->site_b[c->n], 80, rt_strbuf_str(&fields),
		      "RACETRAP_SITE_B");
	rt_strbuf_free(&text);
	rt_strbuf_free(&fields);
	c->n++;
}

static inline void capture_free(struct capture *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->text[i]);
	*c = (struct capture){ .json = c->json };
}

/* A live process of a test-data binary with its decoded table as id 1. */
struct live {
	struct live_bin bin;
	struct test_proc proc;
	uint64_t map_start, map_offset;
	bool running;
};

static inline int live_start(const char *name, struct live *l)
{
	memset(l, 0, sizeof(*l));
	if (live_bin_open(name, &l->bin) || test_proc_start(l->bin.path, &l->proc))
		return -1;
	l->running = true;
	/* Any site places the executable mapping. */
	if (!l->bin.table.nr_sites ||
	    !live_addr(l->proc.pid, &l->bin, l->bin.table.sites[0].offset,
		       &l->map_start, &l->map_offset))
		return -1;
	return 0;
}

static inline void live_stop(struct live *l)
{
	if (l->running)
		test_proc_stop(&l->proc);
	l->running = false;
}

static inline void live_free(struct live *l)
{
	live_stop(l);
	live_bin_close(&l->bin);
}

static inline void live_add_table(struct live *l, struct rt_analyzer *an)
{
	rt_analyzer_add_table(an, 1, l->bin.path, l->bin.table.build_id,
			      l->map_start, l->map_offset, l->bin.table.sites,
			      l->bin.table.nr_sites);
}

/* The live address of the first @access site in @func (0 if none). */
static inline uint64_t live_site_addr(struct live *l, const char *func,
				      unsigned int access,
				      const struct racetrap_site **site)
{
	const struct racetrap_site *s = live_site(&l->bin, func, access);

	if (site)
		*site = s;
	return s ? live_addr(l->proc.pid, &l->bin, s->offset, NULL, NULL) : 0;
}

/* A return address somewhere inside @func (8 bytes in). */
static inline uint64_t live_func_addr(struct live *l, const char *func)
{
	for (size_t i = 0; i < l->bin.funcs.n; i++) {
		uint64_t off;

		if (strcmp(l->bin.funcs.v[i].name, func) ||
		    !live_vaddr_to_off(l->bin.elf, l->bin.funcs.v[i].start, &off))
			continue;
		return live_addr(l->proc.pid, &l->bin, off, NULL, NULL) + 8;
	}
	return 0;
}

/*
 * A HIT record: thread @sampled_tid was about to run site @s_site (in
 * @s_func) when @trap_tid's access at site @t_site trapped.
 */
static inline void make_hit(struct live *l, struct racetrap_record *r,
			    const struct racetrap_site *s_site, uint64_t s_ip,
			    const struct racetrap_site *t_site, uint64_t t_ip,
			    uint64_t caller)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->version = RACETRAP_ABI_VERSION;
	r->type = RACETRAP_REC_HIT;
	r->pid = (uint32_t)l->proc.pid;
	r->trigger = RACETRAP_REC_TRIGGER_CLOCK;
	r->timestamp_ns = 1000000000ULL;
	r->watch_addr = 0x5000;
	r->watch_len = 8;
	r->nr_hits = 1;
	r->site_table = 1;
	r->site_offset = s_site->offset;
	r->value_before = 0x2a;
	r->value_after = 0x2b;
	r->window_ns = 500000;
	r->sampled.tid = (uint32_t)l->proc.pid;
	r->sampled.flags = RACETRAP_SIDE_F_KNOWN;
	r->sampled.ip = s_ip;
	r->sampled.addr = 0x5000;
	r->sampled.size = s_site->size;
	r->sampled.access = s_site->access;
	r->sampled.nr_frames = 2;
	r->sampled.stack[0] = s_ip;
	r->sampled.stack[1] = caller;
	r->trapped.tid = (uint32_t)l->proc.pid;
	r->trapped.flags = RACETRAP_SIDE_F_AFTER | RACETRAP_SIDE_F_KNOWN;
	r->trapped.ip = t_ip + t_site->len;
	r->trapped.addr = 0x5000;
	r->trapped.size = t_site->size;
	r->trapped.access = t_site->access;
	r->trapped.nr_frames = 2;
	r->trapped.stack[0] = r->trapped.ip;
	r->trapped.stack[1] = caller;
}

#endif /* RT_CAPTURE_H */
