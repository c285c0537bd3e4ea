// SPDX-License-Identifier: GPL-2.0
/*
 * racetrapd.service: systemd-analyze verify accepts it, and its exposure
 * (systemd-analyze security --offline) stays at 2.0 or below, so a
 * loosened sandbox is noticed.  Neither needs a running systemd; both
 * are skipped where systemd-analyze is not installed.  The unit is
 * checked with its commands (racetrapd, racetrap calibrate) pointing at
 * the built ones, since verify wants executables there.
 */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define ANALYZE "/usr/bin/systemd-analyze"

/* Copy the unit to @out with @bindir in place of /usr/sbin in its Exec
 * lines. */
static bool copy_unit(const char *out, const char *bindir)
{
	char line[1024], *at;
	FILE *in = fopen(RT_TOP "/userspace/racetrapd.service", "re");
	FILE *o = fopen(out, "we");
	bool ok = in && o;

	while (ok && fgets(line, sizeof(line), in)) {
		at = strstr(line, "/usr/sbin/");
		if (!strncmp(line, "Exec", 4) && at)
			ok = fprintf(o, "%.*s%s%s", (int)(at - line), line,
				     bindir, at + 9) > 0;
		else
			ok = fputs(line, o) >= 0;
	}
	if (in)
		fclose(in);
	if (o && fclose(o))
		ok = false;
	return ok;
}

int main(void)
{
	char dir[] = "/tmp/racetrap-test-unit.XXXXXX", unit[128], bin[PATH_MAX];
	char out[16384];
	int r;

	ktap_start(2);
	if (access(ANALYZE, X_OK)) {
		ktap_skip_rest("no " ANALYZE " here");
		return ktap_finish();
	}
	if (test_bin_path("racetrapd", bin, sizeof(bin)) || !mkdtemp(dir)) {
		ktap_skip_rest("build/bin/racetrapd not built");
		return ktap_finish();
	}
	snprintf(unit, sizeof(unit), "%s/racetrapd.service", dir);
	*strrchr(bin, '/') = '\0';	/* its directory */
	if (!copy_unit(unit, bin)) {
		ktap_diag("cannot copy the unit to %s", unit);
		ktap_result(false, "unit_verifies");
		ktap_result(false, "unit_exposure_at_most_2");
	} else {
		/* --man=no: the man pages need not be installed here. */
		r = test_run(ANALYZE, (char *const[]){ "systemd-analyze", "verify",
			     "--man=no", unit, NULL }, out, sizeof(out));
		if (r || *out)
			ktap_diag("systemd-analyze verify: exit %d: %s", r, out);
		ktap_result(r == 0 && !*out, "unit_verifies");
		/* The threshold is the exposure times ten. */
		r = test_run(ANALYZE, (char *const[]){ "systemd-analyze", "security",
			     "--offline=yes", "--threshold=20", "--no-pager", unit,
			     NULL }, out, sizeof(out));
		if (r) {
			char *overall = strstr(out, "Overall exposure");

			ktap_diag("systemd-analyze security: exit %d: %s", r,
				  overall ? overall : out);
		}
		ktap_result(r == 0, "unit_exposure_at_most_2");
	}
	unlink(unit);
	rmdir(dir);
	return ktap_finish();
}
