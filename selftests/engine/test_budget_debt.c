// SPDX-License-Identifier: GPL-2.0
/*
 * An unlimited budget keeps no debt.  At --budget 100% with 100 ms
 * windows on a race-free fixture (both threads only read, so every window
 * runs its full length), each window costs more than the target earns
 * while it is open: the held thread earns nothing, and the other's wait
 * is charged as much again.  Lowered to 5% with the default window, the
 * attachment must sample again within seconds, not once that cost has
 * been repaid at 5% (half a minute and more).  The rig's
 * emulated_cost_div would shrink the charges below the earnings, so it
 * is 1 for the test's length.  (Under TCG one window's arming alone can
 * cost 100 ms of the budget: hence 5%, not 1%, after the cut.)
 */
#define _GNU_SOURCE
#include "engine.h"

#define COST_DIV "/sys/module/racetrap/parameters/emulated_cost_div"

static bool write_div(const char *v)
{
	FILE *f = fopen(COST_DIV, "w");
	bool ok = f && fputs(v, f) >= 0;

	return f && (fclose(f) == 0) && ok;
}

int main(void)
{
	struct racetrap_config c = { .budget_ppm = 1000000,
				     .window_us = 100000 };
	uint64_t unlimited, lowered, before;
	char div[32];
	struct fx f;
	int fd;

	ktap_start(2);
	if (!rt_param_read("emulated_cost_div", div, sizeof(div)) ||
	    !write_div("1")) {
		ktap_skip("budget_unlimited_sampled", "no emulated_cost_div");
		ktap_skip("budget_lowered_samples_again", "no emulated_cost_div");
		return ktap_finish();
	}
	if (!fx_start(&f, "readonly") || (fd = rt_attach_fx(&f)) < 0 ||
	    rt_config_set(fd, &c)) {
		write_div(div);
		ktap_result(false, "budget_unlimited_sampled");
		ktap_result(false, "budget_lowered_samples_again");
		return ktap_finish();
	}
	rt_collect(fd, 4, NULL, NULL, NULL);
	unlimited = rt_stat(fd, RACETRAP_STAT_WATCHES);
	rt_dump_stats(fd);

	/* Short windows first, so that none of 100 ms is open at the cut. */
	c.window_us = 0;
	rt_config_set(fd, &c);
	rt_collect(fd, 0.5, NULL, NULL, NULL);
	c.budget_ppm = 50000;
	rt_config_set(fd, &c);
	before = rt_stat(fd, RACETRAP_STAT_WATCHES);
	rt_collect(fd, 5, NULL, NULL, NULL);
	lowered = rt_stat(fd, RACETRAP_STAT_WATCHES) - before;
	rt_dump_stats(fd);
	write_div(div);

	EXPECT_TRUE(unlimited >= 10, "budget_unlimited_sampled",
		    "%" PRIu64 " windows in 4 s at 100%%", unlimited);
	EXPECT_TRUE(lowered > 0, "budget_lowered_samples_again",
		    "%" PRIu64 " windows in 5 s at 5%% after %" PRIu64
		    " unlimited ones", lowered, unlimited);
	close(fd);
	fx_stop(&f);
	return ktap_finish();
}
