# SPDX-License-Identifier: GPL-2.0
#
# Counts KTAP/TAP results across many concatenated test outputs.  A block
# starts at "KTAP version" / "TAP version"; a block whose plan promises
# more results than it printed (a test that crashed or stopped early)
# counts the missing ones as failures, one that printed more than its plan
# or results without a plan counts one failure.  A "not ok ... # TODO" is an expected failure and
# counts as skipped.  Prints "passed failed skipped todo".
function close_block() {
	if (plan > seen) {
		failed += plan - seen
		printf("ktap-summary: %s: %d of %d results missing\n", name, plan - seen, plan) > "/dev/stderr"
	} else if (seen > plan) {
		failed++
		printf("ktap-summary: %s: %d results, plan %s\n", name, seen, planned ? plan : "missing") > "/dev/stderr"
	}
	plan = 0; seen = 0; planned = 0
}
{ sub(/\r$/, "") }
/^# selftest: / { name = $3 }
/^(KTAP|TAP) version/ { close_block(); next }
/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; planned = 1; next }
# TAP's TODO: an expected failure, listed where the test explains it.
/^not ok [0-9]+.*# *TODO/ { todo++; skipped++; seen++; next }
/^not ok [0-9]+/ { failed++; seen++; next }
/^ok [0-9]+/ {
	seen++
	if ($0 ~ /# *SKIP/) skipped++; else passed++
	next
}
END { close_block(); printf("%d %d %d %d\n", passed, failed, skipped, todo) }
