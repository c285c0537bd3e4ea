// SPDX-License-Identifier: GPL-2.0
/*
 * racetrapd.conf parsing: targets and options are read, a bad line is
 * reported as FILE:LINE, and a file with one bad line changes nothing;
 * "user" takes names and uids, and an unknown name is a bad line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <selftests/lib/ktap.h>

#include "daemon_conf.h"

static char dir[] = "/tmp/racetrap-test-config.XXXXXX";

static const char *write_conf(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
	return path;
}

/* Parse @text; the error message (or "") in @err. */
static int parse(struct rt_daemon_conf *c, const char *text, char *err,
		 size_t errlen)
{
	const char *path = write_conf("racetrapd.conf", text);

	err[0] = '\0';
	return rt_daemon_conf_parse_file(c, path, err, errlen);
}

static bool has(const char *s, const char *sub, const char *name)
{
	if (strstr(s, sub))
		return true;
	ktap_diag("%s: '%s' does not contain '%s'", name, s, sub);
	return false;
}

int main(void)
{
	struct rt_daemon_conf c;
	char err[1024], want[512];
	int r;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	ktap_start(27);

	fclose(fopen("/tmp/racetrap-test-supp#1.txt", "w"));
	rt_daemon_conf_init(&c);
	ktap_result(c.summary_s == 3600, "summary_interval_default_hourly");
	r = parse(&c,
		  "# racetrapd.conf\n"
		  "\n"
		  "pid 1234\n"
		  "exe /usr/bin/bank   # the service\n"
		  "name auditor\n"
		  "  window 250\n"
		  "budget 2%\n"
		  "triggers site\n"
		  "suppressions /tmp/racetrap-test-supp#1.txt\n"
		  "modules *libfoo*\n"
		  "keep-runtime\n"
		  "syslog-max 900\n"
		  "summary-interval 60\n"
		  "user root\n"
		  "user 1000   # need not exist\n", err, sizeof(err));
	if (r)
		ktap_diag("parse: %s", err);
	ktap_result(r == 0, "valid_file_parses");
	ktap_result(c.nr_targets == 3 && c.targets[0].kind == RT_TARGET_PID &&
		    c.targets[0].pid == 1234 &&
		    c.targets[1].kind == RT_TARGET_EXE &&
		    !strcmp(c.targets[1].value, "/usr/bin/bank") &&
		    c.targets[2].kind == RT_TARGET_NAME &&
		    !strcmp(c.targets[2].value, "auditor"),
		    "targets_by_pid_exe_name");
	ktap_result(c.opts.kcfg.window_us == 250 &&
		    c.opts.kcfg.budget_ppm == 20000 &&
		    c.opts.kcfg.triggers == RACETRAP_TRIGGER_SITE &&
		    c.opts.keep_runtime && c.syslog_max == 900 &&
		    c.summary_s == 60 &&
		    c.opts.nr_modules == 1 &&
		    !strcmp(c.opts.modules[0], "*libfoo*"),
		    "sampling_options_applied");
	ktap_result(c.nr_users == 2 && c.users[0] == 0 && c.users[1] == 1000,
		    "users_by_name_and_uid");
	ktap_result(rt_daemon_conf_user_ok(&c, 0) && rt_daemon_conf_user_ok(&c, 1000) &&
		    !rt_daemon_conf_user_ok(&c, 1001) &&
		    !rt_daemon_conf_user_ok(&c, 65534),
		    "only_listed_users_allowed");
	/* '#' inside a value is not a comment. */
	ktap_result(c.opts.suppressions &&
		    !strcmp(c.opts.suppressions, "/tmp/racetrap-test-supp#1.txt"),
		    "hash_inside_value_kept");

	/* A bad line: FILE:LINE and nothing applied. */
	r = parse(&c, "pid 99\nwindow 100\nwindow 0\nname late\n", err, sizeof(err));
	snprintf(want, sizeof(want), "%s/racetrapd.conf:3: window: 0 is out of range", dir);
	ktap_result(r == -1 && has(err, want, "bad_value"), "bad_line_names_file_and_line");
	ktap_result(has(err, "1..100000", "bad_value"), "bad_value_names_range");
	ktap_result(c.nr_targets == 3 && c.opts.kcfg.window_us == 250 &&
		    c.targets[0].pid == 1234 && c.syslog_max == 900,
		    "bad_file_changes_nothing");

	/* An unknown user: the whole file, its other users too, is refused. */
	r = parse(&c, "name bank\nuser 7\nuser no-such-user-rt\n", err, sizeof(err));
	snprintf(want, sizeof(want),
		 "%s/racetrapd.conf:3: user: no user 'no-such-user-rt' in the password database",
		 dir);
	ktap_result(r == -1 && has(err, want, "user") && c.nr_users == 2 &&
		    c.users[1] == 1000 && c.nr_targets == 3,
		    "unknown_user_rejected_with_file_line");
	r = parse(&c, "user 4294967295\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: user: 4294967295 is out of range: want 0..4294967294",
				   "uid"), "uid_minus_one_rejected");
	r = parse(&c, "user\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: user needs a value", "user"),
		    "user_without_value_rejected");

	r = parse(&c, "pid 1\nfrobnicate yes\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":2: unknown option 'frobnicate'", "unknown"),
		    "unknown_setting_rejected");
	r = parse(&c, "exe bin/foo\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: exe: 'bin/foo' is not an absolute path", "exe"),
		    "relative_exe_rejected");
	r = parse(&c, "pid 12 34\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: pid: '12 34' is not a number", "pid"),
		    "pid_trailing_junk_rejected");
	r = parse(&c, "duration 10\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, "unknown option 'duration'", "duration"),
		    "cli_only_option_rejected");
	r = parse(&c, "window\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: window needs a value", "novalue"),
		    "missing_value_rejected");
	r = parse(&c, "syslog-max 100\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, "too small", "syslog-max"),
		    "tiny_syslog_max_rejected");
	r = parse(&c, "summary-interval 604801\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: summary-interval: 604801 is out of range",
				   "summary") && c.summary_s == 60,
		    "summary_interval_over_a_week_rejected");
	r = parse(&c, "\n\nsuppressions /nonexistent/supp.txt\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":3: suppressions: cannot read '/nonexistent/supp.txt'",
				   "supp"), "missing_suppressions_file_rejected");
	r = parse(&c, "suppressions /\n", err, sizeof(err));
	ktap_result(r == -1 && has(err, ":1: suppressions: suppressions file / is not a regular file",
				   "supp dir"), "directory_as_suppressions_file_rejected");

	err[0] = '\0';
	snprintf(want, sizeof(want), "%s/missing.conf", dir);
	r = rt_daemon_conf_parse_file(&c, want, err, sizeof(err));
	ktap_result(r == -ENOENT && has(err, "missing.conf", "missing") &&
		    c.nr_targets == 3, "missing_file_is_enoent");

	ktap_result(rt_target_matches(&c.targets[2], 5, "auditor", "/x/y") &&
		    !rt_target_matches(&c.targets[2], 5, "auditor2", "/x/y"),
		    "name_matches_comm");
	{
		struct rt_target t = { RT_TARGET_NAME, 0, "a-very-long-process-name" };

		ktap_result(rt_target_matches(&t, 5, "a-very-long-pro",
					      "/opt/a-very-long-process-name") &&
			    rt_target_matches(&c.targets[1], 7, "bank", "/usr/bin/bank") &&
			    !rt_target_matches(&c.targets[1], 7, "bank", "/usr/bin/bank2"),
			    "name_matches_exe_basename_and_exe_exact");
	}

	/* Without "user": anyone's processes, as before. */
	r = parse(&c, "name bank\n", err, sizeof(err));
	ktap_result(r == 0 && c.nr_users == 0 && rt_daemon_conf_user_ok(&c, 0) &&
		    rt_daemon_conf_user_ok(&c, 12345), "no_user_setting_allows_every_user");
	{
		struct rt_daemon_conf d;

		rt_daemon_conf_init(&d);
		r = rt_daemon_conf_set(&d, "user", "no-such-user-rt", true, err,
				       sizeof(err));
		ktap_result(r == -1 && has(err, "--user: no user 'no-such-user-rt'", "cli") &&
			    d.nr_users == 0, "cli_unknown_user_rejected");
		rt_daemon_conf_free(&d);
	}

	rt_daemon_conf_free(&c);
	unlink(write_conf("racetrapd.conf", ""));
	rmdir(dir);
	unlink("/tmp/racetrap-test-supp#1.txt");
	return ktap_finish();
}
