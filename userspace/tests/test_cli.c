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

#include <selftests/lib/ktap.h>

#include "options.h"

static const struct {
	const char *name;
	unsigned long long min, max;
	size_t field;
} ranges[] = {
	{ "window", 1, 100000, offsetof(struct racetrap_config, window_us) },
	{ "site-probes", 1, 1024, offsetof(struct racetrap_config, site_probes) },
	{ "rotate", 10, 60000, offsetof(struct racetrap_config, site_rotate_ms) },
	{ "clock-period", 100, 10000000, offsetof(struct racetrap_config, clock_period_us) },
	{ "max-watchpoints", 1, 4, offsetof(struct racetrap_config, max_watchpoints) },
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

/* Run the racetrap binary next to this test's build tree. */
static int run_cli(const char *racetrap, char *const argv[], char *out, size_t len)
{
	int pfd[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		dup2(pfd[1], 1);
		close(pfd[0]);
		execv(racetrap, argv);
		_exit(99);
	}
	close(pfd[1]);
	while ((size_t)got + 1 < len && (n = read(pfd[0], out + got, len - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect_usage(const char *racetrap, char *const argv[],
			 const char *msg, const char *name)
{
	char out[4096];
	int r = run_cli(racetrap, argv, out, sizeof(out));

	if (r != 2 || !strstr(out, msg))
		ktap_diag("%s: exit %d, output '%s', want 2 and '%s'", name, r, out, msg);
	ktap_result(r == 2 && strstr(out, msg), name);
}

int main(int argc, char **argv)
{
	struct rt_options o = { 0 };
	char err[512], self[PATH_MAX], racetrap[PATH_MAX + 32];
	unsigned int bits = 0;
	ssize_t n;
	size_t i;

	(void)argc;
	(void)argv;
	/* The ranges, seven option checks, six usage errors. */
	ktap_start((int)(sizeof(ranges) / sizeof(ranges[0])) + 7 + 6);
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
	ktap_result(set(&o, "triggers", "site,clock", err, sizeof(err)) &&
		    o.kcfg.triggers == (RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK) &&
		    set(&o, "triggers", "clock", err, sizeof(err)) &&
		    o.kcfg.triggers == RACETRAP_TRIGGER_CLOCK &&
		    !set(&o, "triggers", "site,bogus", err, sizeof(err)) &&
		    strstr(err, "site, clock or site,clock") &&
		    rt_parse_triggers("", &bits) != 0, "triggers_list");
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

	/* The binary: build/tests/userspace/test_cli -> build/bin/racetrap. */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(racetrap, sizeof(racetrap), "%s/../../bin/racetrap", self);
	if (access(racetrap, X_OK)) {
		for (i = 0; i < 6; i++)
			ktap_skip("cli_usage", "build/bin/racetrap not built");
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
	return ktap_finish();
}
