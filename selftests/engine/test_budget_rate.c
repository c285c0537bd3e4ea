// SPDX-License-Identifier: GPL-2.0
/*
 * The budget is a rate earned from attach, not from the target's start.
 * A racy fixture burns two CPUs for 8 s, then is attached at 1% for 3 s:
 * the cost charged may exceed 1% of the CPU time the target used *after*
 * attach by no more than the burst (two windows) and the sample that
 * overdrew it.  A budget counted from the target's start (as racetrap's
 * first one was) would let through about 160 ms of windows more, earned
 * before the attach: several windows' worth even under TCG, where one
 * window costs 10-30 ms.
 */
#define _GNU_SOURCE
#include "engine.h"

#define PPM		10000
#define PRE_RUN_S	8.0
#define ATTACHED_S	3.0

/* utime + stime of the whole process, in ns (clock-tick resolution). */
static uint64_t proc_cpu_ns(pid_t pid)
{
	unsigned long long ut, st;
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return 0;
	return (ut + st) * (1000000000ULL / sysconf(_SC_CLK_TCK));
}

int main(void)
{
	struct racetrap_config c = { .budget_ppm = PPM };
	uint64_t cpu0, cpu1, cost, windows, earned, slack;
	struct fx f;
	int fd;

	ktap_start(3);
	if (!fx_start(&f, "racy")) {
		ktap_result(false, "budget_rate_setup");
		ktap_result(false, "budget_rate_sampled");
		ktap_result(false, "budget_rate_from_attach");
		return ktap_finish();
	}
	/* CPU time a lifetime budget would have counted. */
	usleep(PRE_RUN_S * 1e6);
	fd = rt_open();
	if (fd < 0 || rt_config_set(fd, &c) || rt_attach(fd, f.pid) ||
	    (cpu0 = proc_cpu_ns(f.pid)) == 0 || rt_add_sites(fd, &f) < 0) {
		ktap_result(false, "budget_rate_setup");
		ktap_result(false, "budget_rate_sampled");
		ktap_result(false, "budget_rate_from_attach");
		fx_stop(&f);
		return ktap_finish();
	}
	ktap_result(true, "budget_rate_setup");
	rt_collect(fd, ATTACHED_S, NULL, NULL, NULL);
	cpu1 = proc_cpu_ns(f.pid);
	cost = rt_stat(fd, RACETRAP_STAT_COST_NS);
	windows = rt_stat(fd, RACETRAP_STAT_WATCHES);
	rt_dump_stats(fd);

	EXPECT_TRUE(windows > 0, "budget_rate_sampled",
		    "no window opened in %.0f s at %d ppm", ATTACHED_S, PPM);
	/*
	 * Earned since attach, plus the burst (two windows), plus the
	 * sample that overdrew it (three times the mean: window costs vary
	 * with the traps they take), plus one clock tick of CPU time
	 * reading resolution.
	 */
	earned = (cpu1 - cpu0) / 1000000 * PPM;
	slack = 2ULL * c.window_us * 1000 +
		(windows ? 3 * cost / windows : 0) +
		1000000000ULL / sysconf(_SC_CLK_TCK) / 1000000 * PPM;
	EXPECT_TRUE(cost <= earned + slack, "budget_rate_from_attach",
		    "cost %" PRIu64 " ns > earned %" PRIu64 " + slack %" PRIu64
		    " ns (target used %" PRIu64 " ms since attach, %" PRIu64
		    " ms before)", cost, earned, slack,
		    (cpu1 - cpu0) / 1000000, cpu0 / 1000000);
	close(fd);
	fx_stop(&f);
	return ktap_finish();
}
