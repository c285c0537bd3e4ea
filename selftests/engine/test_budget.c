// SPDX-License-Identifier: GPL-2.0
/*
 * The overhead budget.  With a budget too small for a second window (1
 * ppm), a racy fixture is throttled once: a THROTTLE record is queued,
 * the cost stops growing, and the triggers stand down (no site breakpoint
 * armed, no clock sample taken) for as long as the budget stays spent.
 * Raising the budget brings sampling back within the tick (100 ms),
 * without a sample having to ask first.  A throttle ends with the
 * attachment: the time counted as throttled stops growing at detach.
 */
#define _GNU_SOURCE
#include "engine.h"

static bool count_throttle(const struct racetrap_record *rec, void *arg)
{
	if (rec->type == RACETRAP_REC_THROTTLE)
		(*(int *)arg)++;
	return false;
}

static const enum racetrap_stat watched[] = {
	RACETRAP_STAT_PROBES_ARMED, RACETRAP_STAT_SAMPLES_SITE,
	RACETRAP_STAT_SAMPLES_CLOCK, RACETRAP_STAT_WATCHES,
	RACETRAP_STAT_COST_NS,
};
#define NR_WATCHED (sizeof(watched) / sizeof(watched[0]))

static void snapshot(int fd, uint64_t *v)
{
	struct racetrap_stats s;
	size_t i;

	rt_stats(fd, &s);	/* all zero if it fails */
	for (i = 0; i < NR_WATCHED; i++)
		v[i] = s.counters[watched[i]];
}

int main(void)
{
	struct racetrap_config c = { .budget_ppm = 1 };
	uint64_t a[NR_WATCHED], b[NR_WATCHED], after, held[2];
	int fd, throttles = 0;
	bool flat = true;
	struct fx f;
	size_t i;

	ktap_start(6);
	if (!fx_start(&f, "racy") || (fd = rt_attach_fx(&f)) < 0 ||
	    rt_config_set(fd, &c)) {
		for (i = 0; i < 6; i++)
			ktap_result(false, "budget_setup");
		return ktap_finish();
	}
	/* Spent after the first window or two; settled within a tick. */
	rt_collect(fd, 2, count_throttle, &throttles, NULL);
	snapshot(fd, a);
	rt_collect(fd, 2, count_throttle, &throttles, NULL);
	snapshot(fd, b);
	rt_dump_stats(fd);

	EXPECT_TRUE(throttles == 1 &&
		    rt_stat(fd, RACETRAP_STAT_THROTTLED) == 1,
		    "budget_throttle_record", "%d THROTTLE records, %" PRIu64
		    " throttles counted", throttles,
		    rt_stat(fd, RACETRAP_STAT_THROTTLED));
	EXPECT_TRUE(a[4] < 50 * 1000 * 1000ULL, "budget_cost_bounded",
		    "cost %" PRIu64 " ns against a budget of ~1 ms", a[4]);
	for (i = 0; i < NR_WATCHED; i++)
		if (a[i] != b[i]) {
			ktap_diag("counter %zu moved from %" PRIu64 " to %" PRIu64
				  " while throttled", i, a[i], b[i]);
			flat = false;
		}
	ktap_result(flat, "budget_spent_triggers_stand_down");
	EXPECT_TRUE(a[2] + a[1] > 0 || a[0] > 0, "budget_sampled_before",
		    "nothing sampled or armed before the budget ran out");

	c.budget_ppm = 1000000;
	rt_config_set(fd, &c);
	rt_collect(fd, 1, NULL, NULL, NULL);
	after = rt_stat(fd, RACETRAP_STAT_WATCHES);
	EXPECT_TRUE(after > b[3], "budget_raised_sampling_resumes",
		    "watches %" PRIu64 " -> %" PRIu64 " in 1 s", b[3], after);

	/* Spent again, then detached while throttled. */
	c.budget_ppm = 1;
	rt_config_set(fd, &c);
	rt_collect(fd, 1, NULL, NULL, NULL);
	after = rt_stat(fd, RACETRAP_STAT_THROTTLED);
	rt_detach(fd);
	held[0] = rt_stat(fd, RACETRAP_STAT_THROTTLED_NS);
	usleep(500 * 1000);
	held[1] = rt_stat(fd, RACETRAP_STAT_THROTTLED_NS);
	EXPECT_TRUE(after >= 2 && held[0] > 0 && held[1] == held[0],
		    "budget_throttle_ends_at_detach",
		    "%" PRIu64 " throttles; throttled %" PRIu64 " ns at detach, %"
		    PRIu64 " ns 0.5 s later", after, held[0], held[1]);
	close(fd);
	fx_stop(&f);
	return ktap_finish();
}
