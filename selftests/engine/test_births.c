// SPDX-License-Identifier: GPL-2.0
/*
 * A thread born between site rotations arms its own site breakpoints
 * (module/births.c, trigger_site.c racetrap_site_birth()): fix_births
 * starts a worker thread every ~5 ms that loads the shared word its
 * writer stores forever.  The site trigger alone, one rotation a minute,
 * for 4 s: only the attach's rotation runs, so a worker born after it
 * gets a breakpoint only at its birth.
 *
 * Windows on the load come from many workers, each sampled thread a
 * different tid.  Without births, only the worker alive at the attach
 * (one at most) could be sampled on the load.  A worker's breakpoint on
 * the writer's site never fires in it: when the worker exits, the next
 * one takes that breakpoint over (site_handoffs) instead of a new draw.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3
#define MAX_TIDS	64
#define MIN_TIDS	3

static const char *const names[NR_TESTS] = {
	"births_counted", "births_workers_sampled", "births_sites_handed_on",
};

struct run {
	uint64_t load_ip;
	uint32_t tids[MAX_TIDS];
	unsigned int nr_tids;
};

static bool count_tid(const struct racetrap_record *rec, void *arg)
{
	struct run *r = arg;
	unsigned int i;

	if (rec->type != RACETRAP_REC_HIT || rec->sampled.ip != r->load_ip)
		return false;
	for (i = 0; i < r->nr_tids; i++)
		if (r->tids[i] == rec->sampled.tid)
			return false;
	r->tids[r->nr_tids++] = rec->sampled.tid;
	return r->nr_tids == MAX_TIDS;
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE, .budget_ppm = 1000000,
		.site_rotate_ms = 60000, .window_us = 2000,
	};
	const struct fx_site *sr;
	struct run r = { 0 };
	uint64_t births, handoffs;
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "births"))
		return rt_fail_named(names, NR_TESTS);
	sr = fx_site(&f, "r");
	if (!sr) {
		fx_stop(&f);
		return rt_fail_named(names, NR_TESTS);
	}
	r.load_ip = sr->addr;
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0)
		return rt_fail_named(names, NR_TESTS);
	rt_collect(fd, 4, count_tid, &r, NULL);
	births = rt_stat(fd, RACETRAP_STAT_SITE_BIRTHS);
	handoffs = rt_stat(fd, RACETRAP_STAT_SITE_HANDOFFS);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("births: %" PRIu64 " threads armed at birth, %" PRIu64
		  " breakpoints handed on; loads sampled in %u worker threads",
		  births, handoffs, r.nr_tids);
	ktap_result(births > 0, names[0]);
	ktap_result(r.nr_tids >= MIN_TIDS, names[1]);
	ktap_result(handoffs > 0, names[2]);
	return ktap_finish();
}
