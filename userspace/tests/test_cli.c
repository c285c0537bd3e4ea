// SPDX-License-Identifier: GPL-2.0
/*
 * Sampling options as racetrap and racetrapd take them: every number is
 * range-checked at both ends with a message naming the range, and the
 * racetrap binary turns bad usage into a clear message and exit status 2.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "testlib.h"

static const struct {
	const char *name;
	unsigned long long min, max;
	size_t field;
} ranges[] = {
	{ "window", 1, 100000, offsetof(struct racetrap_config, window_us) },
	{ "site-probes", 1, 1024, offsetof(struct racetrap_config, site_probes) },
	{ "rotate", 50, 60000, offsetof(struct racetrap_config, site_rotate_ms) },
	{ "clock-period", 1000, 10000000, offsetof(struct racetrap_config, clock_period_us) },
	{ "max-watchpoints", 1, 2, offsetof(struct racetrap_config, max_watchpoints) },
	{ "stack-depth", 1, 64, offsetof(struct racetrap_config, stack_depth) },
	{ "budget", 1, 1000000, offsetof(struct racetrap_config, budget_ppm) },
};

static bool set(struct rt_options *o, const char *name, const char *value,
		char *err, size_t errlen)
{
	err[0] = '\0';
	return rt_options_set(o, name, value, true, err, errlen) == 0;
}

static void check_range(int i)
{
	struct rt_options o = { 0 };
	char v[32], err[512], name[96], range[64];
	__u32 *field = (__u32 *)((char *)&o.kcfg + ranges[i].field);
	bool ok = true;

	snprintf(range, sizeof(range), "%llu..%llu", ranges[i].min, ranges[i].max);
	snprintf(v, sizeof(v), "%llu", ranges[i].min - 1);
	if (set(&o, ranges[i].name, v, err, sizeof(err)) || !strstr(err, range) ||
	    !strstr(err, ranges[i].name)) {
		ktap_diag("%s %s: accepted or unclear: '%s'", ranges[i].name, v, err);
		ok = false;
	}
	snprintf(v, sizeof(v), "%llu", ranges[i].max + 1);
	if (set(&o, ranges[i].name, v, err, sizeof(err)) || !strstr(err, range)) {
		ktap_diag("%s %s: accepted or unclear: '%s'", ranges[i].name, v, err);
		ok = false;
	}
	snprintf(v, sizeof(v), "%llu", ranges[i].min);
	if (!set(&o, ranges[i].name, v, err, sizeof(err)) || *field != ranges[i].min) {
		ktap_diag("%s %s: rejected: '%s'", ranges[i].name, v, err);
		ok = false;
	}
	snprintf(v, sizeof(v), "%llu", ranges[i].max);
	if (!set(&o, ranges[i].name, v, err, sizeof(err)) || *field != ranges[i].max) {
		ktap_diag("%s %s: rejected: '%s'", ranges[i].name, v, err);
		ok = false;
	}
	if (set(&o, ranges[i].name, "12x", err, sizeof(err)) ||
	    set(&o, ranges[i].name, "-1", err, sizeof(err)) ||
	    set(&o, ranges[i].name, "99999999999999999999999", err, sizeof(err)) ||
	    *field != ranges[i].max) {
		ktap_diag("%s: junk accepted or value changed", ranges[i].name);
		ok = false;
	}
	snprintf(name, sizeof(name), "range_%s", ranges[i].name);
	ktap_result(ok, name);
	rt_options_free(&o);
}

static void expect_usage(const char *racetrap, char *const argv[],
			 const char *msg, const char *name)
{
	char out[4096];
	int r = test_run(racetrap, argv, out, sizeof(out));

	if (r != 2 || !strstr(out, msg))
		ktap_diag("%s: exit %d, output '%s', want 2 and '%s'", name, r, out, msg);
	ktap_result(r == 2 && strstr(out, msg), name);
}

/* A bad suppressions file is a usage error with FILE:LINE, before any
 * attach (pid 1 would otherwise be attached to). */
static void check_bad_suppressions(const char *racetrap)
{
	char path[] = "/tmp/racetrap-test-XXXXXX", want[96];
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, "race:ok\nrace_bottom:frob\n", 24) != 24)
		ktap_diag("cannot write %s", path);
	close(fd);
	snprintf(want, sizeof(want), "--suppressions: %s:2:", path);
	expect_usage(racetrap, (char *const[]){ "racetrap", "attach",
		     "--suppressions", path, "1", NULL }, want,
		     "attach_bad_suppressions_exit_2_file_line");
	unlink(path);
	expect_usage(racetrap, (char *const[]){ "racetrap", "attach",
		     "--suppressions", "/", "1", NULL },
		     "suppressions file / is not a regular file",
		     "attach_directory_as_suppressions_exit_2");
	/* In a cluster getopt has not moved past it: name the letter. */
	expect_usage(racetrap, (char *const[]){ "racetrap", "attach",
		     "-xy", "1", NULL }, "unknown option '-x'",
		     "attach_unknown_letter_in_cluster_named");
}

static void check_version(const char *racetrap)
{
	char out[512], want[64];
	int r = test_run(racetrap, (char *const[]){ "racetrap", "--version", NULL },
			 out, sizeof(out));

	snprintf(want, sizeof(want), "(ABI version %d)\nracetrap.ko: ",
		 RACETRAP_ABI_VERSION);
	EXPECT_TRUE(r == 0 && !strncmp(out, "racetrap ", 9) && strstr(out, want),
		    "version_names_release_abi_and_module", "exit %d: %s", r, out);
}

/*
 * A process name with a quote and a backslash stays valid JSON; the rates
 * come from the counters over the time attached: 10 s, 20 CPU-s of the
 * target at 1%, so 100 ms of cost is half the budget earned.
 */
static void check_status(const char *racetrap)
{
	char dir[] = "/tmp/racetrap-status-XXXXXX", path[128], out[4096];
	char text[4096];
	const char *want = "{\"type\":\"target\",\"pid\":4242,"
		"\"comm\":\"say \\\"hi\\\" \\\\\",\"owner\":%d,"
		"\"started\":1700000000,\"samples_per_s\":8.000,"
		"\"windows_per_s\":4.000,\"budget_ppm\":10000,"
		"\"budget_used\":0.5000,\"paused_fraction\":0.2000,"
		"\"counters\":{\"samples_site\":50,\"samples_clock\":30,"
		"\"watches\":40,\"cost_ns\":100000000,"
		"\"throttled_ns\":2000000000}}\n";
	const char *rate_line = "  8.0 samples/s (site 5.0, clock 3.0), 4.0 windows/s; budget 1%: 50% of it used, sampling paused 20% of the time\n";
	char expect[1024];
	FILE *f;
	int r = -1, rt = -1;

	text[0] = '\0';
	if (mkdtemp(dir)) {
		snprintf(path, sizeof(path), "%s/4242.status", dir);
		f = fopen(path, "w");
		if (f) {
			fprintf(f, "owner %d\nowner_comm test\ntarget 4242\n"
				"comm say \"hi\" \\\nstarted 1700000000\n"
				"updated 1700000010\nbudget_ppm 10000\n"
				"target_cpu_ns 20000000000\n"
				"stat samples_site 50\nstat samples_clock 30\n"
				"stat watches 40\nstat cost_ns 100000000\n"
				"stat throttled_ns 2000000000\n", (int)getpid());
			fclose(f);
		}
		setenv("RACETRAP_STATUS_DIR", dir, 1);
		r = test_run(racetrap, (char *const[]){ "racetrap", "status",
			     "--json", NULL }, out, sizeof(out));
		rt = test_run(racetrap, (char *const[]){ "racetrap", "status",
			      NULL }, text, sizeof(text));
		unsetenv("RACETRAP_STATUS_DIR");
		unlink(path);
		rmdir(dir);
	}
	snprintf(expect, sizeof(expect), want, (int)getpid());
	EXPECT_TRUE(r == 0 && !strcmp(out, expect), "status_json_escapes_comm",
		    "exit %d: %s", r, out);
	EXPECT_TRUE(rt == 0 && strstr(text, rate_line), "status_shows_rates_and_budget_use",
		    "exit %d: %s", rt, text);
}

/* calibrate's own options: each bad one named, before anything is
 * measured or written. */
static void check_calibrate_usage(const char *racetrap)
{
	expect_usage(racetrap, (char *const[]){ "racetrap", "calibrate",
		     "--pairs", "0", NULL },
		     "--pairs: 0 is out of range: want 1..1000",
		     "calibrate_pairs_range_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "calibrate",
		     "--rounds", "10000001", "--write", NULL },
		     "--rounds: 10000001 is out of range: want 100..10000000",
		     "calibrate_rounds_range_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "calibrate",
		     "--rounds", NULL }, "--rounds needs a value",
		     "calibrate_missing_value_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "calibrate",
		     "now", NULL }, "unexpected 'now'",
		     "calibrate_operand_exit_2");
}

int main(int argc, char **argv)
{
	struct rt_options o = { 0 };
	char err[512], racetrap[PATH_MAX];
	unsigned int bits = 0;
	size_t i;

	(void)argc;
	(void)argv;
	/* The ranges, nine option checks, seven usage errors, version,
	 * status --json, four calibrate usage errors. */
	ktap_start((int)(sizeof(ranges) / sizeof(ranges[0])) + 9 + 12 + 4);
	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		check_range((int)i);

	ktap_result(set(&o, "budget", "0.5%", err, sizeof(err)) &&
		    o.kcfg.budget_ppm == 5000 &&
		    set(&o, "budget", "100%", err, sizeof(err)) &&
		    o.kcfg.budget_ppm == 1000000 &&
		    !set(&o, "budget", "101%", err, sizeof(err)) &&
		    !set(&o, "budget", "0%", err, sizeof(err)) &&
		    !set(&o, "budget", "%", err, sizeof(err)) &&
		    o.kcfg.budget_ppm == 1000000, "budget_percent");
	ktap_result(rt_options_setup_nice(&o) == RT_SETUP_NICE_DEFAULT &&
		    set(&o, "setup-nice", "0", err, sizeof(err)) &&
		    rt_options_setup_nice(&o) == 0 &&
		    set(&o, "setup-nice", "19", err, sizeof(err)) &&
		    rt_options_setup_nice(&o) == 19 &&
		    !set(&o, "setup-nice", "20", err, sizeof(err)) &&
		    strstr(err, "--setup-nice: 20 is out of range: want 0..19") &&
		    !set(&o, "setup-nice", "-1", err, sizeof(err)) &&
		    rt_options_setup_nice(&o) == 19, "setup_nice_range");
	ktap_result(set(&o, "triggers", "site,clock", err, sizeof(err)) &&
		    o.kcfg.triggers == (RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK) &&
		    set(&o, "triggers", "clock", err, sizeof(err)) &&
		    o.kcfg.triggers == RACETRAP_TRIGGER_CLOCK &&
		    !set(&o, "triggers", "site,bogus", err, sizeof(err)) &&
		    strstr(err, "site, clock or site,clock") &&
		    rt_parse_triggers("", &bits) != 0, "triggers_list");
	ktap_result(set(&o, "watch-threads", "16", err, sizeof(err)) &&
		    o.kcfg.watch_threads == 16 &&
		    !set(&o, "watch-threads", "65537", err, sizeof(err)) &&
		    strstr(err, "--watch-threads: 65537 is out of range: want 1..65536") &&
		    !set(&o, "watch-threads", "0", err, sizeof(err)) &&
		    o.kcfg.watch_threads == 16 &&
		    set(&o, "watch-threads", "auto", err, sizeof(err)) &&
		    o.kcfg.watch_threads == 0, "watch_threads_auto_or_range");
	ktap_result(set(&o, "duration", "1.5", err, sizeof(err)) &&
		    o.duration_ms == 1500 &&
		    !set(&o, "duration", "0", err, sizeof(err)) &&
		    !set(&o, "duration", "1.0001", err, sizeof(err)) &&
		    !set(&o, "duration", "31536001", err, sizeof(err)) &&
		    o.duration_ms == 1500, "duration_seconds");
	ktap_result(!set(&o, "window", NULL, err, sizeof(err)) &&
		    strstr(err, "--window needs a value") &&
		    !set(&o, "no-such", "1", err, sizeof(err)) &&
		    strstr(err, "unknown option '--no-such'"), "unknown_and_missing");
	ktap_result(set(&o, "modules", "*libc*", err, sizeof(err)) &&
		    set(&o, "modules", "*libm*", err, sizeof(err)) &&
		    set(&o, "exclude-func", "main", err, sizeof(err)) &&
		    o.nr_modules == 2 && !strcmp(o.modules[1], "*libm*") &&
		    o.nr_exclude_funcs == 1, "repeatable_globs");
	ktap_result(set(&o, "json", NULL, err, sizeof(err)) && o.json &&
		    set(&o, "keep-runtime", "no", err, sizeof(err)) &&
		    !o.keep_runtime, "flags");
	ktap_result(set(&o, "cache-dir", "none", err, sizeof(err)) &&
		    !set(&o, "cache-dir", "relative/dir", err, sizeof(err)) &&
		    strstr(err, "not an absolute path") &&
		    !strcmp(o.cache_dir, "none"), "cache_dir");
	rt_options_free(&o);

	if (test_bin_path("racetrap", racetrap, sizeof(racetrap))) {
		ktap_skip_rest("build/bin/racetrap not built");
		return ktap_finish();
	}
	expect_usage(racetrap, (char *const[]){ "racetrap", NULL },
		     "Usage: racetrap <command>", "no_command_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "frob", NULL },
		     "'frob' is not a command", "unknown_command_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "attach", "--window", "0", "1", NULL },
		     "--window: 0 is out of range: want 1..100000", "attach_range_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "attach", NULL },
		     "give a PID", "attach_no_pid_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "run", "--budget", "7x", "--", "true", NULL },
		     "--budget: '7x' is not a number", "run_bad_number_exit_2");
	expect_usage(racetrap, (char *const[]){ "racetrap", "run", "--window", NULL },
		     "--window needs a value", "run_missing_value_exit_2");
	check_bad_suppressions(racetrap);
	check_version(racetrap);
	check_status(racetrap);
	check_calibrate_usage(racetrap);
	return ktap_finish();
}
