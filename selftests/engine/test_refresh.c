// SPDX-License-Identifier: GPL-2.0
/*
 * Site breakpoints drawn afresh between rotations (module/trigger_site.c,
 * racetrap_site_refresh()): a ticked thread whose site breakpoint has not
 * fired in 20 ms draws another in its own debug register.  fix_live's two
 * loop threads each run one site; a draw picks that site about one time
 * in three (a draw among the sites that ran or the live ones, 3 in 4,
 * picks its own thread's site half the time), else one its thread never
 * runs (the other loop's, or one of the 200 of the never-called
 * function).  With one rotation a minute,
 * both breakpoints of a thread sit on such sites after a few re-arms,
 * and without refreshes site samples stop until the next rotation.  So:
 * from 2 s after attach until the fixture has had 2 s more of CPU time
 * (at least 2 s, at most 20 s), no rotation, breakpoints drawn afresh,
 * and site samples still taken (each thread's clock ticks about every
 * 10 ms of its CPU time, so refreshes come dozens of times a second; 10
 * samples asks for far fewer).  Counted over 2 s of wall time, a debug
 * kernel on a crowded host gave 2: its threads had hardly run.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3

static const char *const names[NR_TESTS] = {
	"refresh_no_rotation", "refresh_drawn", "refresh_samples_go_on",
};

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000, .site_rotate_ms = 60000,
		.site_probes = 16,
	};
	static const enum racetrap_stat ids[] = {
		RACETRAP_STAT_ROTATIONS, RACETRAP_STAT_SITE_REFRESHES,
		RACETRAP_STAT_SAMPLES_SITE,
	};
	uint64_t delta[3];
	double cpu0, cpu;
	struct fx f;
	int fd, i, secs;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "live"))
		return rt_fail_named(names, NR_TESTS);
	fx_live_functions(&f, true, true);
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0)
		return rt_fail_named(names, NR_TESTS);
	rt_collect(fd, 2, NULL, NULL, NULL);
	for (i = 0; i < 3; i++)
		delta[i] = rt_stat(fd, ids[i]);
	cpu0 = fx_cpu_s(f.pid);
	for (secs = 0; secs < 20 && (secs < 2 || fx_cpu_s(f.pid) - cpu0 < 2);
	     secs++)
		rt_collect(fd, 1, NULL, NULL, NULL);
	cpu = fx_cpu_s(f.pid) - cpu0;
	for (i = 0; i < 3; i++)
		delta[i] = rt_stat(fd, ids[i]) - delta[i];
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	fx_stop(&f);

	EXPECT_TRUE(delta[0] == 0, "refresh_no_rotation",
		    "%" PRIu64 " rotations in %d s after 2 s", delta[0], secs);
	EXPECT_TRUE(delta[1] > 0, "refresh_drawn",
		    "%" PRIu64 " breakpoints drawn afresh", delta[1]);
	EXPECT_TRUE(delta[2] >= 10, "refresh_samples_go_on",
		    "%" PRIu64 " site samples in %d s after 2 s (%.1f s of CPU time)",
		    delta[2], secs, cpu);
	return ktap_finish();
}
