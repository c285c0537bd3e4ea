// SPDX-License-Identifier: GPL-2.0
/*
 * Context switches of a thread that holds a site breakpoint are charged
 * to the budget (module/budget.c, bp_switch_ns).  fix_switches' two
 * threads bounce a byte over pipes, sleeping and waking thousands of
 * times a second, and their only sites are never run: every site
 * breakpoint stays armed until the rotation (every 200 ms here) takes
 * it out, which is when its thread's switches are counted
 * (BP_SWITCHES) and charged at bp_switch_ns each, in COST_BOUND_NS.
 * Site trigger only, so nothing else is charged at a bound but the
 * breakpoints' hits, and there are none.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3

static const char *const names[NR_TESTS] = {
	"switches_armed", "switches_counted", "switches_charged",
};

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE, .budget_ppm = 1000000,
		.site_rotate_ms = 200, .site_probes = 16,
	};
	unsigned long long per_switch = 0;
	uint64_t switches, bound, armed;
	char param[32];
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (rt_param_read("bp_switch_ns", param, sizeof(param)))
		per_switch = strtoull(param, NULL, 10);
	else
		ktap_diag("cannot read module parameter bp_switch_ns");
	if (!fx_start(&f, "switches"))
		return rt_fail_named(names, NR_TESTS);
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		fx_stop(&f);
		return rt_fail_named(names, NR_TESTS);
	}
	rt_collect(fd, 3, NULL, NULL, NULL);
	rt_detach(fd);
	armed = rt_stat(fd, RACETRAP_STAT_PROBES_ARMED);
	switches = rt_stat(fd, RACETRAP_STAT_BP_SWITCHES);
	bound = rt_stat(fd, RACETRAP_STAT_COST_BOUND_NS);
	rt_dump_stats(fd);
	close(fd);
	fx_stop(&f);

	EXPECT_TRUE(armed > 0, "switches_armed",
		    "%" PRIu64 " site breakpoints armed", armed);
	EXPECT_TRUE(switches > 0, "switches_counted",
		    "%" PRIu64 " switches of threads holding one", switches);
	EXPECT_TRUE(per_switch > 0 && bound >= switches * per_switch,
		    "switches_charged",
		    "%" PRIu64 " ns charged at a bound for %" PRIu64
		    " switches at %llu ns", bound, switches, per_switch);
	return ktap_finish();
}
