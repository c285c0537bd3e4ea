// SPDX-License-Identifier: GPL-2.0
/*
 * watch_threads (module/threads.c): fix_crowd's two racing threads among
 * 40 sleeping ones and the main thread, 3 s each at an unlimited budget.
 *
 * With watch_threads 4, a window arms at most 4 of the 42 other threads,
 * says how many it left (threads_left), and still catches the race in
 * most windows: the racing partner is on a CPU or runnable, and those
 * are armed first.  Were the 4 drawn from all 42, it would be armed in
 * about one window in ten (the threshold below is one in four).  With
 * watch_threads 64, every window arms every thread and leaves none.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	6
#define OTHERS		42	/* 40 sleepers, main, the partner */

static const char *const names[NR_TESTS] = {
	"crowd_capped_windows", "crowd_capped_at_4", "crowd_capped_left",
	"crowd_capped_partner_watched", "crowd_all_windows",
	"crowd_all_watched",
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

static bool crowd_run(uint32_t watch_threads, struct run *r)
{
	struct racetrap_config cfg = {
		.budget_ppm = 1000000, .watch_threads = watch_threads,
	};
	struct racetrap_stats s;
	struct fx f;
	int fd;

	if (!fx_start(&f, "crowd") || (fd = rt_attach_fx_config(&f, &cfg)) < 0)
		return false;
	rt_collect(fd, 3, count_caught, r, NULL);
	/* After detach: no window opens between the counters compared. */
	rt_detach(fd);
	if (rt_stats(fd, &s)) {
		r->watches = s.counters[RACETRAP_STAT_WATCHES];
		r->watched = s.counters[RACETRAP_STAT_WATCHED_THREADS];
		r->left = s.counters[RACETRAP_STAT_THREADS_LEFT];
	}
	rt_dump_stats(fd);
	close(fd);
	fx_stop(&f);
	return true;
}

int main(void)
{
	struct run c = { 0 }, a = { 0 };

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!crowd_run(4, &c) || !crowd_run(64, &a))
		return rt_fail_named(names, NR_TESTS);
	ktap_diag("crowd: watch_threads 4: %" PRIu64 " windows, %" PRIu64
		  " trapped, %" PRIu64 " armed, %" PRIu64 " left; 64: %"
		  PRIu64 " windows, %" PRIu64 " trapped, %" PRIu64 " armed",
		  c.watches, c.caught, c.watched, c.left, a.watches, a.caught,
		  a.watched);
	EXPECT_TRUE(c.watches >= 8, "crowd_capped_windows",
		    "%" PRIu64 " windows", c.watches);
	EXPECT_TRUE(c.watched <= 4 * c.watches, "crowd_capped_at_4",
		    "%" PRIu64 " threads armed in %" PRIu64 " windows",
		    c.watched, c.watches);
	EXPECT_TRUE(c.watched + c.left >= (OTHERS - 1) * c.watches &&
		    c.left >= (OTHERS - 5) * c.watches, "crowd_capped_left",
		    "%" PRIu64 " armed, %" PRIu64 " left in %" PRIu64
		    " windows", c.watched, c.left, c.watches);
	EXPECT_TRUE(4 * c.caught >= c.watches, "crowd_capped_partner_watched",
		    "%" PRIu64 " of %" PRIu64 " windows trapped", c.caught,
		    c.watches);
	EXPECT_TRUE(a.watches >= 4, "crowd_all_windows", "%" PRIu64 " windows",
		    a.watches);
	EXPECT_TRUE(!a.left && a.watched >= (OTHERS - 1) * a.watches,
		    "crowd_all_watched",
		    "%" PRIu64 " armed, %" PRIu64 " left in %" PRIu64
		    " windows", a.watched, a.left, a.watches);
	return ktap_finish();
}
