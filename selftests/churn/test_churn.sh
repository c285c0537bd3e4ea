#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test_churn.sh: the churn soak.  Race-free, allocation-heavy programs in
# Go, C and C++ (churn_go, churn_c, churn_cxx: a goroutine or thread per
# request, maps, the garbage collector or malloc, stack growth, glibc's
# rseq registration in every C thread) and per-CPU counters kept in rseq
# critical sections (churn_rseq) run CHURN_RUNS times each (default
# 10, `make check`; `make soak` runs 100) under `racetrap run` with both
# triggers (`--triggers site,clock`) at default settings otherwise.  Each
# program checks its own results, so a corrupted heap, stack or register
# is a wrong sum and a non-zero exit.  A run that exits non-zero, dies of
# a signal, or makes racetrap print a race report fails the test; so does
# a program that was never sampled (the test would prove nothing).  It
# prints "churn: PROG: RUNS runs, DEATHS deaths, REPORTS false reports,
# SAMPLES samples, IGNORED traps on stores beside the word ignored,
# OVERREAD beside a wide read's bytes" per
# program, and every failed run's reason as it comes.
#
# Environment: CHURN_RUNS, CHURN_SECONDS (each run's length, default 5),
# CHURN_TRIGGERS (default site,clock), CHURN_OPTS (more racetrap run
# options, e.g. "--budget 100%"), CHURN_ONLY (a grep -E pattern over the
# program names).
. "$(dirname "$0")/../userspace/ktap.sh"
cd "$(dirname "$0")" || exit 1
runs=${CHURN_RUNS:-10}
secs=${CHURN_SECONDS:-5}
triggers=${CHURN_TRIGGERS:-site,clock}
opts=${CHURN_OPTS:-}
only=${CHURN_ONLY:-.}
out=/tmp/churn.out

progs=$(printf '%s\n' churn_go churn_c churn_cxx churn_rseq | grep -E "$only")
ktap_plan $(($(echo "$progs" | wc -w) * 3))
[ -c /dev/racetrap ] || { skip_rest "no /dev/racetrap"; ktap_done; exit; }

for prog in $progs; do
	deaths=0 reports=0 samples=0 ignored=0 overread=0 i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # CHURN_OPTS: several options
		racetrap run --triggers "$triggers" $opts -- "./$prog" "$secs" \
			>$out 2>&1
		rc=$?
		# 66: racetrap run's status when it reported a race (counted
		# below) and the program exited 0.
		if { [ $rc != 0 ] && [ $rc != 66 ]; } ||
			! grep -q "^$prog: ok" $out; then
			deaths=$((deaths + 1))
			diag "churn: $prog run $i: exit $rc:" \
				"$(grep -v '^racetrap' $out | tail -n 4)"
		fi
		n=$(grep -c 'WARNING: DATA RACE' $out)
		if [ "$n" != 0 ]; then
			reports=$((reports + n))
			diag "churn: $prog run $i: $n race reports; the first:"
			diag "$(first_report $out)"
		fi
		s=$(sed -n 's/.*pid [0-9]*: \([0-9]*\) samples\{0,1\} taken.*/\1/p' $out | tail -n 1)
		samples=$((samples + ${s:-0}))
		# Traps the analyzer set aside as made by no access to the
		# word (the emulator's, testing.rst "Phantom watchpoint hits").
		s=$(sed -n 's/.* \([0-9]*\) traps\{0,1\} on a store that did not touch.*/\1/p' $out | tail -n 1)
		ignored=$((ignored + ${s:-0}))
		# Wide reads against bytes they did not use (report-format.rst).
		s=$(sed -n 's/.* \([0-9]*\) traps\{0,1\} beside the bytes a wide read.*/\1/p' $out | tail -n 1)
		overread=$((overread + ${s:-0}))
	done
	diag "churn: $prog: $runs runs, $deaths deaths, $reports false reports, $samples samples, $ignored traps on stores beside the word ignored, $overread beside a wide read's bytes"
	[ $deaths = 0 ]
	check $? "${prog}_never_died"
	[ $reports = 0 ]
	check $? "${prog}_no_false_report"
	[ $samples -gt 0 ]
	check $? "${prog}_was_sampled"
done
ktap_done
