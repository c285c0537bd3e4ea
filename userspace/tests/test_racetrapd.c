// SPDX-License-Identifier: GPL-2.0
/*
 * racetrapd's command line, every way it can be wrong: each usage error
 * exits 2 with a message naming the problem, each configuration error
 * exits 1 naming FILE:LINE, before the daemon touches the module; --help
 * and --version exit 0.  (Running it with the module is the VM's
 * selftests/userspace/test_racetrapd.sh.)
 */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char racetrapd[PATH_MAX];

static void expect(int want_rc, const char *want, char *const argv[],
		   const char *name)
{
	char out[8192];
	int r = test_run(racetrapd, argv, out, sizeof(out));

	if (r != want_rc || !strstr(out, want))
		ktap_diag("%s: exit %d, output '%s'; want %d and '%s'", name, r,
			  out, want_rc, want);
	ktap_result(r == want_rc && strstr(out, want), name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(void)
{
	char dir[] = "/tmp/racetrapd-test-XXXXXX", bad_conf[128], supp[128];
	char supp_conf[128], ok_conf[128], user_conf[128], want[512];

	ktap_start(17);
	if (test_bin_path("racetrapd", racetrapd, sizeof(racetrapd)) ||
	    !mkdtemp(dir)) {
		ktap_skip_rest("build/bin/racetrapd not built");
		return ktap_finish();
	}
	snprintf(bad_conf, sizeof(bad_conf), "%s/bad.conf", dir);
	snprintf(supp, sizeof(supp), "%s/bad.supp", dir);
	snprintf(supp_conf, sizeof(supp_conf), "%s/supp.conf", dir);
	snprintf(ok_conf, sizeof(ok_conf), "%s/ok.conf", dir);
	snprintf(user_conf, sizeof(user_conf), "%s/user.conf", dir);
	write_file(bad_conf, "name bank\n\nwindow 0\n");
	write_file(supp, "race:ok\nrace_bottom:frob\n");
	snprintf(want, sizeof(want), "name bank\nsuppressions %s\n", supp);
	write_file(supp_conf, want);
	write_file(ok_conf, "name bank\n");
	write_file(user_conf, "name bank\nuser root\nuser no-such-user-rt\n");

	expect(0, "(default 500)", (char *const[]){ "racetrapd", "--help", NULL },
	       "help_exit_0_with_defaults");
	expect(0, "(ABI version", (char *const[]){ "racetrapd", "--version", NULL },
	       "version_exit_0");
	expect(2, "unknown option '--frob'",
	       (char *const[]){ "racetrapd", "--frob", NULL }, "unknown_option_exit_2");
	/* In a cluster getopt has not moved past it: name the letter. */
	expect(2, "unknown option '-x'",
	       (char *const[]){ "racetrapd", "-xf", NULL }, "unknown_letter_in_cluster_named");
	expect(2, "--queue needs a value",
	       (char *const[]){ "racetrapd", "--queue", NULL }, "missing_value_exit_2");
	expect(2, "-c needs a value",
	       (char *const[]){ "racetrapd", "-c", NULL }, "config_without_file_exit_2");
	expect(2, "--window: 0 is out of range: want 1..100000",
	       (char *const[]){ "racetrapd", "--window", "0", NULL },
	       "sampling_option_out_of_range_exit_2");
	expect(2, "--queue: 1 is out of range: want 16..1000000",
	       (char *const[]){ "racetrapd", "--queue", "1", NULL },
	       "daemon_setting_out_of_range_exit_2");
	expect(2, "target 0: pid: 0 is out of range",
	       (char *const[]){ "racetrapd", "0", NULL }, "bad_target_exit_2");
	expect(2, "--stderr",
	       (char *const[]){ "racetrapd", "--stderr=yes", NULL },
	       "flag_with_value_exit_2");
	snprintf(want, sizeof(want), "--suppressions: %s:2:", supp);
	expect(2, want, (char *const[]){ "racetrapd", "--suppressions", supp, NULL },
	       "bad_suppressions_option_exit_2_file_line");
	expect(1, "cannot open /nonexistent/racetrapd.conf",
	       (char *const[]){ "racetrapd", "-c", "/nonexistent/racetrapd.conf", NULL },
	       "missing_config_file_exit_1");
	snprintf(want, sizeof(want), "%s:3: window: 0 is out of range", bad_conf);
	expect(1, want, (char *const[]){ "racetrapd", "-c", bad_conf, NULL },
	       "bad_config_line_exit_1_file_line");
	snprintf(want, sizeof(want), "%s:2: suppressions: %s:2:", supp_conf, supp);
	expect(1, want, (char *const[]){ "racetrapd", "-c", supp_conf, NULL },
	       "bad_suppressions_in_config_exit_1_file_line");
	expect(2, "--user: no user 'no-such-user-rt' in the password database",
	       (char *const[]){ "racetrapd", "--user", "no-such-user-rt", NULL },
	       "unknown_user_option_exit_2");
	snprintf(want, sizeof(want), "%s:3: user: no user 'no-such-user-rt'", user_conf);
	expect(1, want, (char *const[]){ "racetrapd", "-c", user_conf, NULL },
	       "unknown_user_in_config_exit_1_file_line");
	/* The module is checked after the configuration, once. */
	if (access("/dev/racetrap", F_OK) == 0)
		ktap_skip("no_module_exit_1", "/dev/racetrap exists here");
	else
		expect(1, "/dev/racetrap not found",
		       (char *const[]){ "racetrapd", "-c", ok_conf, NULL },
		       "no_module_exit_1");
	unlink(bad_conf);
	unlink(supp);
	unlink(supp_conf);
	unlink(ok_conf);
	unlink(user_conf);
	rmdir(dir);
	return ktap_finish();
}
