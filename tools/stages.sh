# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # logdir, start: set by the caller
# Sourced by tools/check.sh and tools/check-debug.sh (bash): stages whose
# KTAP output is shown, kept in $logdir and counted together at the end.
# The caller sets logdir and start ($(date +%s)).

# stage NAME CMD...: run CMD; a stage that failed without printing a
# failing result still fails.
stage() {
	local name=$1 t0=$SECONDS
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$logdir/$name.log"
	local rc=${PIPESTATUS[0]}
	echo "=== $name took $((SECONDS - t0)) s"
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$logdir/$name.log"; then
		printf 'KTAP version 1\n1..1\nnot ok 1 %s # exit status %s\n' \
			"$name" "$rc" >>"$logdir/$name.log"
		echo "not ok: $name exited with status $rc"
	fi
	return 0
}

# stages_summary WHAT: "N passed, N failed, N skipped" over every stage's
# log; exit status 0 only if nothing failed and something ran.
stages_summary() {
	local passed failed skipped todo
	read -r passed failed skipped todo < <(cat "$logdir"/*.log | awk -f "$(dirname "${BASH_SOURCE[0]}")/ktap-summary.awk")
	echo "=== $1 took $(($(date +%s) - start)) s; logs in ${logdir#"$PWD"/}/"
	if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then
		echo "no test ran: counting that as a failure"
		failed=1
	fi
	[ "$todo" = 0 ] || echo "($todo of the skipped are known misses marked TODO: grep 'TODO' ${logdir#"$PWD"/}/*.log)"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}
