// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoints: perf lists racetrap:racetrap_{sample,watch,hit}, and
 * `perf record -e racetrap:racetrap_hit` records events while a racy
 * fixture is traced.  Skipped when perf is not installed.
 */
#define _GNU_SOURCE
#include "engine.h"

/* Run a shell command; returns how many output lines contain @needle. */
static int count_lines(const char *cmd, const char *needle)
{
	char line[1024];
	int n = 0;
	FILE *p = popen(cmd, "r");

	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, needle))
			n++;
	pclose(p);
	return n;
}

int main(void)
{
	static const char *const events[] = {
		"racetrap:racetrap_sample", "racetrap:racetrap_watch",
		"racetrap:racetrap_hit",
	};
	/*
	 * The budget is not under test: let every window through.  Clock
	 * sampling only, which samples from the first tick; the tracepoints
	 * fire the same under either trigger.
	 */
	struct racetrap_config c = {
		.triggers = RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000,
	};
	struct fx f;
	int fd, n, i;

	ktap_start(4);
	if (system("perf --version >/dev/null 2>&1")) {
		for (i = 0; i < 4; i++)
			ktap_skip("perf", "perf is not installed");
		return ktap_finish();
	}
	for (i = 0; i < 3; i++) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "perf list %s 2>/dev/null", events[i]);
		n = count_lines(cmd, events[i]);
		EXPECT_TRUE(n > 0, "perf_list", "%s not listed", events[i]);
	}
	if (!fx_start(&f, "racy") || (fd = rt_attach_fx(&f)) < 0 ||
	    rt_config_set(fd, &c)) {
		ktap_result(false, "perf_record_hit");
		return ktap_finish();
	}
	n = count_lines("perf record -q -e racetrap:racetrap_hit -a "
			"-o /tmp/racetrap-perf.data -- sleep 3 >/dev/null 2>&1; "
			"perf script -i /tmp/racetrap-perf.data 2>/dev/null",
			"racetrap_hit");
	ktap_diag("perf script: %d racetrap_hit events", n);
	rt_dump_stats(fd);
	EXPECT_TRUE(n > 0, "perf_record_hit", "no racetrap_hit event recorded");
	close(fd);
	fx_stop(&f);
	unlink("/tmp/racetrap-perf.data");
	return ktap_finish();
}
