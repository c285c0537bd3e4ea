// SPDX-License-Identifier: GPL-2.0
/*
 * A window's cost follows the CPUs, not the threads (module/watch.c):
 * fix_crowd's two racing threads among 40 sleeping ones and the main
 * thread, 3 s at an unlimited budget.  Every window arms at most one
 * breakpoint per online CPU, leaves no CPU out, and catches the race in
 * most windows (the threshold below is one in four), whatever
 * watch_threads says (it has no effect since ABI version 5).
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	4

static const char *const names[NR_TESTS] = {
	"crowd_windows", "crowd_cpus_armed", "crowd_none_left",
	"crowd_partner_watched",
};

struct run {
	uint64_t watches, watched, left, caught;
	uint64_t last_ns;	/* the last HIT record's window */
	uint32_t last_tid;
};

/*
 * Windows that trapped: a window makes one HIT record per trap, all with
 * its sampled thread and its length.
 */
static bool count_caught(const struct racetrap_record *rec, void *arg)
{
	struct run *r = arg;

	if (rec->type != RACETRAP_REC_HIT ||
	    (rec->window_ns == r->last_ns && rec->sampled.tid == r->last_tid))
		return false;
	r->caught++;
	r->last_ns = rec->window_ns;
	r->last_tid = rec->sampled.tid;
	return false;
}

int main(void)
{
	struct racetrap_config cfg = {
		.budget_ppm = 1000000, .watch_threads = 4,
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct racetrap_stats s;
	struct run r = { 0 };
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "crowd"))
		return rt_fail_named(names, NR_TESTS);
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		fx_stop(&f);
		return rt_fail_named(names, NR_TESTS);
	}
	rt_collect(fd, 3, count_caught, &r, NULL);
	/* After detach: no window opens between the counters compared. */
	rt_detach(fd);
	if (rt_stats(fd, &s)) {
		r.watches = s.counters[RACETRAP_STAT_WATCHES];
		r.watched = s.counters[RACETRAP_STAT_WATCHED_CPUS];
		r.left = s.counters[RACETRAP_STAT_CPUS_LEFT];
	}
	rt_dump_stats(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("crowd: %" PRIu64 " windows, %" PRIu64 " trapped, %"
		  PRIu64 " CPUs armed, %" PRIu64 " left, %ld CPUs online",
		  r.watches, r.caught, r.watched, r.left, cpus);
	EXPECT_TRUE(r.watches >= 8, "crowd_windows", "%" PRIu64 " windows",
		    r.watches);
	EXPECT_TRUE(r.watched >= r.watches &&
		    r.watched <= (uint64_t)cpus * r.watches, "crowd_cpus_armed",
		    "%" PRIu64 " CPUs armed in %" PRIu64 " windows", r.watched,
		    r.watches);
	EXPECT_TRUE(!r.left, "crowd_none_left", "%" PRIu64 " left", r.left);
	EXPECT_TRUE(4 * r.caught >= r.watches, "crowd_partner_watched",
		    "%" PRIu64 " of %" PRIu64 " windows trapped", r.caught,
		    r.watches);
	return ktap_finish();
}
