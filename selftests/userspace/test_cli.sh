#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# racetrap's command line as a user meets it: bad usage is a clear
# message and exit status 2, errors exit 1 and say why, `run` passes the
# command's exit status through, `status` works with nothing attached.
. "$(dirname "$0")/ktap.sh"
out=/tmp/cli.out

ktap_plan 13

racetrap >$out 2>&1
[ $? = 2 ] && grep -q 'Usage: racetrap <command>' $out
check $? no_command_is_usage_error

racetrap attach --window 0 1 >$out 2>&1
[ $? = 2 ] && grep -q -- '--window: 0 is out of range: want 1..100000' $out
check $? out_of_range_is_usage_error

racetrap run --stack-depth 65 -- true >$out 2>&1
[ $? = 2 ] && grep -q -- '--stack-depth: 65 is out of range: want 1..64' $out
check $? run_out_of_range_is_usage_error

racetrap run --exit-code 256 -- true >$out 2>&1
[ $? = 2 ] && grep -q -- '--exit-code: 256 is out of range: want 0..255' $out
check $? exit_code_out_of_range_is_usage_error

# --exit-code is racetrap run's: attach has no command status to replace.
racetrap attach --exit-code 1 1 >$out 2>&1
[ $? = 2 ] && grep -q "unknown option '--exit-code'" $out
check $? attach_has_no_exit_code

racetrap run >$out 2>&1
[ $? = 2 ] && grep -q 'no command' $out
check $? run_without_command_is_usage_error

for cmd in attach run status; do
	racetrap $cmd --help >$out 2>&1 || break
	grep -q "Usage: racetrap $cmd" $out || break
	cmd=ok
done
[ "$cmd" = ok ]
check $? help_exits_0

racetrap attach 4000000 >$out 2>&1
[ $? = 1 ] && grep -q 'no process 4000000' $out
check $? missing_process_is_error
diag "$(cat $out)"

racetrap run -- /nonexistent/program >$out 2>&1
[ $? = 127 ] && grep -q "cannot run '/nonexistent/program'" $out
check $? missing_command_exits_127

racetrap run -- $FIX/fix_racefree 1 7 >$out 2>&1
rc=$?
[ $rc = 7 ]
check $? run_passes_exit_status_through
diag "exit status $rc: $(tail -n 3 $out)"

racetrap run -- $FIX/fix_racefree 1 -15 >$out 2>&1
rc=$?
[ $rc = 143 ]
check $? run_passes_signal_as_128_plus
diag "exit status $rc"

# --duration: sampling stops, the command runs on and its status passes.
racetrap run --duration 1 -- $FIX/fix_racefree 4 3 >$out 2>&1
rc=$?
[ $rc = 3 ] && grep -q 'attachment ended: detached' $out &&
	grep -q 'fix_racefree: ' $out
check $? run_duration_detaches_and_command_runs_on
diag "exit status $rc: $(cat $out)"

racetrap status >$out 2>&1
[ $? = 0 ] && grep -q 'no process is being sampled' $out
check $? status_with_nothing_attached

ktap_done
