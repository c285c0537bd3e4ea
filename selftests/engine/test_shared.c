// SPDX-License-Identifier: GPL-2.0
/*
 * Two processes attached at once share the windows' per-CPU breakpoints
 * (module/watch_pool.c): one debug register of every CPU for both, so
 * each target's threads keep the three the site and clock triggers use.
 * Two fix_racy processes, both triggers, an unlimited budget, 3 s: both
 * open windows and trap their racing partner, and the kernel refuses
 * almost none of their site breakpoints: with a set of breakpoints per
 * attachment, the second would leave every thread two registers for
 * three, and most would be refused.  Not none: one of 705 was refused
 * in each target once on 6.1 (2026-12-07, cause not found), so the
 * bound is one in twenty.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3

static const char *const names[NR_TESTS] = {
	"shared_both_windows", "shared_both_trapped",
	"shared_few_probes_refused",
};

int main(void)
{
	struct racetrap_config cfg = { .budget_ppm = 1000000 };
	uint64_t watches[2], hits[2], refused[2], armed[2];
	struct fx f[2];
	int fd[2], i;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	for (i = 0; i < 2; i++) {
		fd[i] = -1;
		if (fx_start(&f[i], "racy"))
			fd[i] = rt_attach_fx_config(&f[i], &cfg);
		if (fd[i] < 0) {
			if (i)
				fx_stop(&f[0]);
			return rt_fail_named(names, NR_TESTS);
		}
	}
	/* Both attached throughout: the second's records wait in its ring. */
	rt_collect(fd[0], 3, NULL, NULL, NULL);
	for (i = 0; i < 2; i++) {
		rt_detach(fd[i]);
		watches[i] = rt_stat(fd[i], RACETRAP_STAT_WATCHES);
		hits[i] = rt_stat(fd[i], RACETRAP_STAT_HITS);
		refused[i] = rt_stat(fd[i], RACETRAP_STAT_PROBE_ERRORS);
		armed[i] = rt_stat(fd[i], RACETRAP_STAT_PROBES_ARMED);
		rt_dump_stats(fd[i]);
		close(fd[i]);
		fx_stop(&f[i]);
	}
	ktap_diag("shared: windows %" PRIu64 " and %" PRIu64 ", traps %"
		  PRIu64 " and %" PRIu64 ", site breakpoints refused %" PRIu64
		  " of %" PRIu64 " and %" PRIu64 " of %" PRIu64, watches[0],
		  watches[1], hits[0], hits[1], refused[0], armed[0],
		  refused[1], armed[1]);
	ktap_result(watches[0] && watches[1], names[0]);
	ktap_result(hits[0] && hits[1], names[1]);
	ktap_result(armed[0] && armed[1] && 20 * refused[0] <= armed[0] &&
		    20 * refused[1] <= armed[1], names[2]);
	return ktap_finish();
}
