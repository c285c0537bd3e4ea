#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `racetrap run` on the racy fixture prints a race report whose two stacks
# name writer_step and reader_step with their file:line; on the race-free
# fixture it prints no report.  Also the same in JSON Lines.  Having
# reported a race it exits 66, as TSan and Go's -race do, unless
# --exit-code says otherwise.  Signals: a SIGTERM to racetrap goes to the
# command; the command keeps the dispositions racetrap started with; a
# program the command execs that exits at once is no error.
. "$(dirname "$0")/ktap.sh"
out=/tmp/run.out
err=/tmp/run.err
rep=/tmp/run.report

ktap_plan 15

racetrap run -- $FIX/fix_racy 20 >$out 2>$err
rc=$?
[ $rc = 66 ]
check $? run_racy_exits_66
diag "exit status $rc"

racing_lines $out
check $? fixture_prints_its_racing_lines

grep -q 'WARNING: DATA RACE' $out
check $? racy_fixture_reported

first_report $out >$rep
names_both_sides $rep
check $? report_names_both_sides_with_file_line
diag "expect writer_step fix_racy.c:$WL and reader_step fix_racy.c:$RL in:"
diag "$(head -n 40 $rep)"
diag "stderr: $(tail -n 5 $err)"

# The fixture has exactly one racing pair of instructions.
grep -Eq '^racetrap: summary for fix_racy \(pid [0-9]+\): 1 race ' $out
check $? summary_counts_one_race
diag "$(grep -A 3 'summary for' $out)"
fp_text=$(sed -n 's/^ *Race fingerprint: \([0-9a-f]*\) .*/\1/p' $out | head -n 1)

racetrap run -- $FIX/fix_racefree 10 >$out 2>$err
rc=$?
[ $rc = 0 ] && ! grep -q 'DATA RACE' $out
check $? racefree_fixture_reports_nothing
diag "exit status $rc; $(grep -c 'DATA RACE' $out) reports"

racetrap run --json --exit-code 0 -- $FIX/fix_racy 15 >$out 2>$err
check $? run_exit_code_0_keeps_the_status

# Every line racetrap wrote is one JSON object (the fixture's own
# lines start with "fix_racy:").
grep -v '^fix_racy:' $out | grep -qv '^{.*}$'
[ $? = 1 ] && grep -q '^{' $out
check $? json_lines_are_objects
diag "$(grep -v '^fix_racy:' $out | grep -v '^{.*}$' | head -n 3)"

racing_lines $out
grep '^{' $out | grep 'fingerprint' | grep -E "fix_racy\.c\"?[:,]? ?\"?(line\"?:)?$WL" |
	grep -qE "fix_racy\.c\"?[:,]? ?\"?(line\"?:)?$RL"
check $? json_race_names_both_lines
diag "$(grep '^{' $out | head -n 2 | cut -c 1-600)"

# Another run, another address layout (ASLR): the same fingerprint.
fp_json=$(sed -n 's/^{"type":"race",.*"fingerprint":"\([0-9a-f]*\)".*/\1/p' $out | head -n 1)
[ -n "$fp_text" ] && [ "$fp_text" = "$fp_json" ]
check $? fingerprint_stable_across_runs
diag "text run: '$fp_text', JSON run: '$fp_json'"

# A wrapper that execs the racy program: that program is sampled too.
# The new program runs while racetrap sets up beside it, so it runs
# until its race is reported (SIGUSR1 ends it with status 0), however
# long the set-up takes, at most 120 s.
racetrap run --exit-code 0 -- $FIX/fix_exec $FIX/fix_racy 600 >$out 2>$err &
rp=$!
wait_for 'WARNING: DATA RACE' $out 120
# shellcheck disable=SC2046  # one pid per word
kill -USR1 $(pidof fix_racy) 2>/dev/null
wait $rp
rc=$?
[ $rc = 0 ] && grep -q 'attachment ended: the target called exec' $err &&
	grep -Eq 'attached to pid [0-9]+ \(fix_racy\)' $err
check $? run_follows_exec
diag "exit status $rc; $(grep -E 'exec|attached' $err)"
racing_lines $out
first_report $out >$rep
names_both_sides $rep
check $? exec_target_race_reported

# A program exec'ed that exits at once leaves nothing to sample: no error.
racetrap run -- $FIX/fix_exec $FIX/fix_racefree 0 >$out 2>$err
rc=$?
[ $rc = 0 ] && grep -q 'the target called exec' $err &&
	! grep -q 'new program failed' $err
check $? run_exec_of_short_program_is_no_error
diag "exit status $rc; stderr: $(tail -n 3 $err)"

# SIGTERM to racetrap: passed to the command, whose status is racetrap's.
racetrap run -- sleep 60 >$out 2>$err &
pid=$!
sleep 3
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 143 ]
check $? run_passes_sigterm_to_command
diag "exit status $rc (128 + 15 wanted)"

# A background job of a non-interactive shell starts with SIGINT and
# SIGQUIT ignored; the command must start so too (SigIgn bits 1 and 2).
sh -c "racetrap run -- cat /proc/self/status >$out 2>$err &
	wait"
ign=$(awk '/^SigIgn:/ { print $2 }' $out)
[ -n "$ign" ] && [ $(( 0x$ign & 6 )) = 6 ]
check $? run_command_keeps_ignored_signals
diag "command's SigIgn: '$ign'"

ktap_done
