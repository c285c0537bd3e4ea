// SPDX-License-Identifier: GPL-2.0
/*
 * A thread keeps at most one aim (module/trigger_clock.c): one it did
 * not reach is taken out when it is ticked again.  fix_aims's thread "a"
 * misses about half its aims (the load behind a branch never taken).
 * When missed aims waited for their 20 ms expiry, which comes only with
 * the 100 ms site tick, "a" collected up to four of them, all its debug
 * registers, and windows that had to watch it failed with ENOSPC
 * (skip_nospc).  The clock trigger alone, an unlimited budget, 3 s.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3

static const char *const names[NR_TESTS] = {
	"aims_missed", "aims_windows_opened", "aims_no_nospc",
};

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_CLOCK, .budget_ppm = 1000000,
	};
	uint64_t missed, watches, nospc;
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "aims") || (fd = rt_attach_fx_config(&f, &cfg)) < 0)
		return rt_fail_named(names, NR_TESTS);
	rt_collect(fd, 3, NULL, NULL, NULL);
	missed = rt_stat(fd, RACETRAP_STAT_CLOCK_AIMS_MISSED);
	watches = rt_stat(fd, RACETRAP_STAT_WATCHES);
	nospc = rt_stat(fd, RACETRAP_STAT_SKIP_NOSPC);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	fx_stop(&f);

	EXPECT_TRUE(missed >= 4, "aims_missed",
		    "%" PRIu64 " aims not reached", missed);
	EXPECT_TRUE(watches > 0, "aims_windows_opened", "%" PRIu64 " windows",
		    watches);
	EXPECT_TRUE(nospc == 0, "aims_no_nospc",
		    "%" PRIu64 " samples skipped for want of a debug register",
		    nospc);
	return ktap_finish();
}
