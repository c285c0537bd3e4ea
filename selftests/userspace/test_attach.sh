#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `racetrap attach PID` on a running racy fixture reports the race, shows
# up in `racetrap status` with its counters while it samples, and leaves
# the fixture running normally once it detaches (after --duration, or on
# SIGINT).
. "$(dirname "$0")/ktap.sh"
fix=/tmp/attach.fix
out=/tmp/attach.out
err=/tmp/attach.err
st=/tmp/attach.status

ktap_plan 10

# Long enough for any attach; ended by SIGUSR1 (status 0) below.
$FIX/fix_racy 600 >$fix &
pid=$!
sleep 1
# Both status calls while it samples, however long its set-up took: on
# the debug kernel beside two other emulators 15 s once ran out between.
racetrap attach --duration 30 $pid >$out 2>$err &
apid=$!
wait_for "attached to pid $pid" $err 120
sleep 2
racetrap status >$st 2>&1
grep -q "^pid $pid (fix_racy): sampled by racetrap\[$apid\]" $st
check $? status_lists_the_target
grep -Eq 'samples_site +[0-9]+' $st && grep -Eq 'hits +[0-9]+' $st
check $? status_prints_counters_by_name
diag "$(cat $st)"
racetrap status --json >$st 2>&1
grep -Eq "^\{\"type\":\"target\",\"pid\":$pid,\"comm\":\"fix_racy\",\"owner\":$apid,.*\"hits\":[0-9]+.*\}\$" $st
check $? status_json_object_per_target
diag "$(cut -c 1-300 $st)"

wait $apid
check $? attach_exits_0_after_duration
racing_lines $fix
first_report $out >/tmp/attach.report
names_both_sides /tmp/attach.report
check $? attach_report_names_both_sides
diag "$(head -n 30 /tmp/attach.report)"
diag "stderr: $(tail -n 5 $err)"

kill -0 $pid
check $? fixture_still_runs_after_detach
racetrap status >$st 2>&1
grep -q 'no process is being sampled' $st
check $? status_empty_after_detach
kill -USR1 $pid
wait $pid
check $? fixture_exits_normally

$FIX/fix_racefree 12 >/dev/null &
pid=$!
sleep 1
racetrap attach $pid >$out 2>$err &
apid=$!
sleep 5
kill -INT $apid
wait $apid
check $? attach_detaches_on_sigint
wait $pid
rc=$?
[ $rc = 0 ] && ! grep -q 'DATA RACE' $out
check $? racefree_attach_reports_nothing_and_fixture_ok
diag "fixture exit $rc; $(grep -c 'DATA RACE' $out) reports"

ktap_done
