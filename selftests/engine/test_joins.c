// SPDX-License-Identifier: GPL-2.0
/*
 * A thread born while a window is open is watched in it (module/watch.c:
 * the breakpoints are per CPU, not per thread): fix_joins starts a writer
 * of the shared word each time its reader has been held for a
 * millisecond, so every writer is born after the window on the reader's
 * load was armed.  Windows of 20 ms, for time to start a thread under
 * emulation.  Were it unwatched, no window on the load would trap (the
 * change would be seen only as a value change).
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	2
#define MIN_CAUGHT	10

static const char *const names[NR_TESTS] = {
	"joins_windows_opened", "joins_writer_trapped",
};

struct run {
	uint64_t load_ip;
	uint32_t reader;
	unsigned int caught;
};

/* A window on the load that trapped a store of another thread. */
static bool count_caught(const struct racetrap_record *rec, void *arg)
{
	struct run *r = arg;

	if (rec->type == RACETRAP_REC_HIT && rec->sampled.ip == r->load_ip &&
	    rec->trapped.tid != rec->sampled.tid)
		r->caught++;
	return false;
}

int main(void)
{
	struct racetrap_config cfg = {
		.budget_ppm = 1000000, .window_us = 20000,
	};
	const struct fx_site *sr;
	struct run r = { 0 };
	uint64_t watches;
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "joins"))
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
	rt_collect(fd, 4, count_caught, &r, NULL);
	watches = rt_stat(fd, RACETRAP_STAT_WATCHES);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("joins: %" PRIu64 " windows; %u windows on the load trapped"
		  " a writer born in them", watches, r.caught);
	ktap_result(watches > 0, names[0]);
	ktap_result(r.caught >= MIN_CAUGHT, names[1]);
	return ktap_finish();
}
