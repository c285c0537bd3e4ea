# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for the userspace selftests (sourced, not run).
#   ktap_plan N; check STATUS NAME; skip NAME WHY; diag TEXT...; ktap_done
# ktap_done fails unless every planned result was printed: a script that
# stops early must not pass with fewer checks (skip_rest WHY says why).

FIX=/selftests/userspace
ktap_n=0
ktap_fails=0
ktap_planned=0

ktap_plan() {
	ktap_planned=$1
	echo "KTAP version 1"
	echo "1..$1"
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# check STATUS NAME: "ok" if STATUS is 0.
check() {
	ktap_n=$((ktap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $ktap_n $2"
	else
		echo "not ok $ktap_n $2"
		ktap_fails=$((ktap_fails + 1))
	fi
}

skip() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}

skip_rest() {
	while [ "$ktap_n" -lt "$ktap_planned" ]; do
		skip untested "$1"
	done
}

ktap_done() {
	if [ "$ktap_n" != "$ktap_planned" ]; then
		echo "# $ktap_n results printed, $ktap_planned planned"
		return 1
	fi
	[ "$ktap_fails" = 0 ]
}

# first_report FILE: the first race report in FILE, from its
# "WARNING: DATA RACE" to its closing "=====" line.
first_report() {
	awk '/WARNING: DATA RACE/ { on = 1 }
	     on && /^=+$/ { exit }
	     on { print }' "$1"
}

# racing_lines: sets WL and RL from fix_racy's first line in FILE.
racing_lines() {
	WL=$(sed -n 's/^fix_racy: write fix_racy\.c:\([0-9]*\) .*/\1/p' "$1" | head -n 1)
	RL=$(sed -n 's/^fix_racy: .* read fix_racy\.c:\([0-9]*\)$/\1/p' "$1" | head -n 1)
	[ -n "$WL" ] && [ -n "$RL" ]
}

# names_both_sides REPORT: both racing functions with file:line.
names_both_sides() {
	grep -q 'writer_step' "$1" && grep -q 'reader_step' "$1" &&
		grep -Eq "fix_racy\.c:$WL([^0-9]|\$)" "$1" &&
		grep -Eq "fix_racy\.c:$RL([^0-9]|\$)" "$1"
}

# wait_for PATTERN FILE SECONDS: until FILE has a line matching the
# extended regex PATTERN, however long the set-up before it takes, at
# most SECONDS; fails if it never came.
wait_for() {
	wf_i=0
	until grep -Eq "$1" "$2" 2>/dev/null; do
		[ $wf_i -ge $(($3 * 5)) ] && return 1
		sleep 0.2
		wf_i=$((wf_i + 1))
	done
}
