// SPDX-License-Identifier: GPL-2.0
/*
 * Windows stay open past a pair already reported (module/pairs.c):
 * fix_twowrites' reader loads a word that its writer stores twice, 20 ms
 * apart, every 80 ms.  Windows of 60 ms on the load, at an unlimited
 * budget, for 4 s.
 *
 * The first window that traps the first store reports it and closes.
 * From then on that pair is known: a window that traps it stays open, so
 * the second store, 20 ms later, traps in the same window.  A window that
 * closed at the first trap (as every window did before) would be disarmed
 * long before the second store: its records would never hold both.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3

static const char *const names[NR_TESTS] = {
	"pairs_first_store_reported", "pairs_window_open_past_known",
	"pairs_hits_known_counted",
};

struct run {
	uint64_t sampled_ip, w1_end, w2_end;
	uint64_t windows, first, both;
	uint64_t last_ns;		/* the window of the last HIT record */
	uint32_t last_tid;
	bool saw_first;			/* ... trapped the first store */
};

/* The records of one window come together, all with its tid and length. */
static bool count_window(const struct racetrap_record *rec, void *arg)
{
	struct run *r = arg;

	if (rec->type != RACETRAP_REC_HIT || rec->sampled.ip != r->sampled_ip)
		return false;
	if (rec->window_ns != r->last_ns || rec->sampled.tid != r->last_tid) {
		r->windows++;
		r->last_ns = rec->window_ns;
		r->last_tid = rec->sampled.tid;
		r->saw_first = false;
	}
	if (rec->trapped.ip == r->w1_end) {
		if (!r->saw_first)
			r->first++;
		r->saw_first = true;
	} else if (rec->trapped.ip == r->w2_end && r->saw_first) {
		r->both++;
		r->saw_first = false;
	}
	return false;
}

int main(void)
{
	struct racetrap_config cfg = {
		.budget_ppm = 1000000, .window_us = 60000,
	};
	const struct fx_site *sr, *s1, *s2;
	struct run r = { 0 };
	uint64_t known;
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "twowrites"))
		return rt_fail_named(names, NR_TESTS);
	sr = fx_site(&f, "r");
	s1 = fx_site(&f, "w1");
	s2 = fx_site(&f, "w2");
	if (!sr || !s1 || !s2) {
		fx_stop(&f);
		return rt_fail_named(names, NR_TESTS);
	}
	r.sampled_ip = sr->addr;
	r.w1_end = s1->addr + s1->len;
	r.w2_end = s2->addr + s2->len;
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0)
		return rt_fail_named(names, NR_TESTS);
	rt_collect(fd, 4, count_window, &r, NULL);
	known = rt_stat(fd, RACETRAP_STAT_HITS_KNOWN);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("pairs: %" PRIu64 " windows on the load trapped, %" PRIu64
		  " the first store, %" PRIu64 " then the second; hits_known %"
		  PRIu64, r.windows, r.first, r.both, known);
	ktap_result(r.first > 0, names[0]);
	ktap_result(r.both > 0, names[1]);
	ktap_result(known > 0, names[2]);
	return ktap_finish();
}
