// SPDX-License-Identifier: GPL-2.0
/*
 * Live sites (Documentation/engine.rst, "Site sampling"): the kernel
 * learns which functions run from clock ticks and fired site breakpoints
 * and draws most site breakpoints among their sites.  fix_live runs two
 * one-site loop functions and has a never-called function of 200 sites.
 *
 * With function starts flagged: exactly the two loop sites become live,
 * and the site trigger samples them often.  Each of the two loop threads
 * has a breakpoint of its own, which fires only on its own loop's site:
 * a draw among the sites that ran or the live ones (3 in 4) picks it half
 * the time, about 0.75 samples per rotation for both (0.58 to 0.73
 * measured in three 6.12 runs), where uniform draws over the 202 sites
 * would give about 2 / 202 = 0.01.  The test asks for 0.25, 25 times the
 * uniform rate, which leaves room for the spread of random draws over
 * 3 s.  Without the flags (a stripped binary) the kernel takes runs of
 * neighbouring sites: all 202 become live, so the flags are what keeps
 * the cold ones out.  The cold function's sites say where it ends
 * (func_tail): without that, the ticks of fix_live's siteless spin loop
 * just after it make all 200 live too.
 *
 * Sites that ran: only the two loop sites, in every run, and the draws
 * among them (2 in 4) fire even when all 202 are live: the rate asked
 * above holds without function starts too (with live draws alone, 4
 * site samples in 53 rotations on 6.1, 2026-12-07).
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	7
#define NR_HOT		2
#define NR_ALL		(NR_HOT + FX_LIVE_COLD)

static const char *const names[NR_TESTS] = {
	"live_hot_functions_only", "live_draws_fire", "live_idle_counted",
	"live_runs_without_function_starts", "live_siteless_code_without_tails",
	"ran_only_sites_that_ran", "ran_draws_fire_among_cold_live_sites",
};

struct live_stats {
	uint64_t live, ran, armed, idle, samples, rotations;
};

/*
 * Attach both triggers with or without function starts, and with or
 * without the cold sites' distance to their function's end (cold_fn's
 * ret: one byte after its last load); 3 s; stats.
 */
static int run(struct fx *f, bool func_starts, bool tails,
	       struct live_stats *st)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000, .site_rotate_ms = 50,
		.site_probes = 16,
	};
	struct racetrap_stats s;
	int fd;

	fx_live_functions(f, func_starts, tails);
	fd = rt_attach_fx_config(f, &cfg);
	if (fd < 0)
		return -1;
	rt_collect(fd, 3, NULL, NULL, NULL);
	if (rt_stats(fd, &s)) {
		st->live = s.counters[RACETRAP_STAT_SITES_LIVE];
		st->ran = s.counters[RACETRAP_STAT_SITES_RAN];
		st->armed = s.counters[RACETRAP_STAT_PROBES_ARMED];
		st->idle = s.counters[RACETRAP_STAT_PROBES_IDLE];
		st->samples = s.counters[RACETRAP_STAT_SAMPLES_SITE];
		st->rotations = s.counters[RACETRAP_STAT_ROTATIONS];
	}
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	return 0;
}

int main(void)
{
	struct live_stats fs, untailed, plain;
	struct fx f;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "live") || f.nr_sites != NR_ALL ||
	    run(&f, true, true, &fs) || run(&f, true, false, &untailed) ||
	    run(&f, false, false, &plain)) {
		ktap_diag("fixture: %d sites", f.nr_sites);
		return rt_fail_named(names, NR_TESTS);
	}
	fx_stop(&f);

	EXPECT_TRUE(fs.live == NR_HOT, "live_hot_functions_only",
		    "%" PRIu64 " sites live, want the %d of the loop functions",
		    fs.live, NR_HOT);
	EXPECT_TRUE(fs.rotations >= 4 && fs.samples * 4 >= fs.rotations,
		    "live_draws_fire",
		    "%" PRIu64 " site samples in %" PRIu64 " rotations (%"
		    PRIu64 " probes armed)", fs.samples, fs.rotations,
		    fs.armed);
	EXPECT_TRUE(fs.idle > 0 && fs.idle < fs.armed, "live_idle_counted",
		    "%" PRIu64 " of %" PRIu64 " probes removed unfired",
		    fs.idle, fs.armed);
	EXPECT_TRUE(plain.live == NR_ALL, "live_runs_without_function_starts",
		    "%" PRIu64 " sites live without function starts, want all %d",
		    plain.live, NR_ALL);
	EXPECT_TRUE(untailed.live == NR_ALL, "live_siteless_code_without_tails",
		    "%" PRIu64 " sites live with function starts but no tails, want all %d",
		    untailed.live, NR_ALL);
	EXPECT_TRUE(fs.ran == NR_HOT && untailed.ran == NR_HOT &&
		    plain.ran == NR_HOT, "ran_only_sites_that_ran",
		    "%" PRIu64 ", %" PRIu64 " and %" PRIu64
		    " sites ran, want the %d loop sites", fs.ran, untailed.ran,
		    plain.ran, NR_HOT);
	EXPECT_TRUE(plain.rotations >= 4 &&
		    plain.samples * 4 >= plain.rotations,
		    "ran_draws_fire_among_cold_live_sites",
		    "%" PRIu64 " site samples in %" PRIu64
		    " rotations with all %d sites live", plain.samples,
		    plain.rotations, NR_ALL);
	return ktap_finish();
}
