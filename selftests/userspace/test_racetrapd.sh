#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# racetrapd attaches to processes as they start (by name from its
# config file, by executable path from its command line), writes the race
# report to syslog (busybox syslogd -> /var/log/messages) at LOG_WARNING
# with both stacks, reports nothing for the race-free fixture, attaches
# again when a matched program restarts, keeps its configuration when a
# reload finds a bad line or a bad suppressions file, applies a good one (syslog-max: a report split
# into numbered parts), logs a race summary every --summary-interval
# seconds, and exits 0 on SIGTERM with a summary.  With "user user" in its
# configuration, confined as racetrapd.service confines it, it attaches a
# matching process of uid 1000 (running a file only its owner may read,
# in a directory it cannot see) with a full report, and passes over the
# same program run by root.
. "$(dirname "$0")/ktap.sh"
conf=/tmp/racetrapd.conf
log=/var/log/messages
msgs=/tmp/racetrapd.msgs

ktap_plan 22

if ! pidof syslogd >/dev/null; then
	syslogd
	sleep 1
fi
touch $log
start=$(($(wc -l <$log) + 1))
printf 'name fix_racefree\n' >$conf
racetrapd -c $conf --summary-interval 5 $FIX/fix_racy 2>/tmp/racetrapd.err &
d=$!
sleep 2
kill -0 $d
check $? daemon_starts

# Until two periodic summaries of it are logged, however long attaching
# takes; then SIGUSR1 ends it (the final summary is the third).
$FIX/fix_racy 600 >/tmp/racetrapd.fix &
fp=$!
i=0
until [ "$(tail -n +$start $log | grep -c "racetrapd\[$d\]: .*summary for fix_racy (pid $fp)")" -ge 2 ] ||
	[ $i -ge 600 ]; do
	sleep 0.2
	i=$((i + 1))
done
kill -USR1 $fp
wait $fp
racing_lines /tmp/racetrapd.fix
$FIX/fix_racefree 5 >/dev/null
$FIX/fix_racefree 5 >/dev/null

printf 'name fix_racy\nwindow 0\n' >$conf
kill -HUP $d
sleep 2
kill -0 $d
check $? daemon_survives_bad_reload

# A suppressions file is parsed at reload: a bad one fails the reload.
printf 'race:ok\nrace_bottom:frob\n' >/tmp/racetrapd.supp
printf 'name fix_racy\nsuppressions /tmp/racetrapd.supp\n' >$conf
kill -HUP $d
sleep 2

# busybox syslogd keeps about 1 KiB of a message; split at 256 bytes.
printf 'name fix_racy\nsyslog-max 256\n' >$conf
kill -HUP $d
sleep 2
$FIX/fix_racy 10 >/dev/null

kill -TERM $d
wait $d
check $? daemon_exits_0_on_sigterm
sleep 1
tail -n +$start $log >$msgs

grep -q "daemon.warn racetrapd\[$d\]: .*WARNING: DATA RACE" $msgs
check $? race_in_syslog_at_warning

# Before the split: one message holds the whole report.
grep "racetrapd\[$d\]: .*WARNING: DATA RACE" $msgs | grep -v 'part 1/' >/tmp/racetrapd.whole
names_both_sides /tmp/racetrapd.whole
check $? syslog_report_is_one_message_naming_both_sides
diag "expect writer_step fix_racy.c:$WL and reader_step fix_racy.c:$RL"
diag "$(grep "racetrapd\[$d\]" $msgs | grep -v 'daemon.info' | head -n 8 | cut -c 1-1200)"

grep -q "daemon.info racetrapd\[$d\]: .*attached to pid [0-9]* (fix_racy)" $msgs
check $? attach_logged_at_info

! grep 'DATA RACE' $msgs | grep -q fix_racefree
check $? racefree_not_reported

[ "$(grep -c "racetrapd\[$d\]: .*attached to pid [0-9]* (fix_racefree)" $msgs)" -ge 2 ]
check $? restarted_program_attached_again

grep -q "racetrapd\[$d\]: racetrapd: reload failed, keeping the current configuration: $conf:2: window: 0 is out of range" $msgs
check $? bad_reload_names_file_and_line

grep -q "racetrapd\[$d\]: racetrapd: reload failed, keeping the current configuration: $conf:2: suppressions: /tmp/racetrapd.supp:2: " $msgs
check $? bad_suppressions_reload_names_both_files_and_lines

fp=$(sed -n "s/.*racetrapd\[$d\]: \[\([0-9a-f]*\) part 1\/[0-9]*\] .*WARNING: DATA RACE.*/\1/p" $msgs | head -n 1)
[ -n "$fp" ] && grep -q "racetrapd\[$d\]: \[$fp part 2/" $msgs
check $? long_report_split_into_numbered_parts
grep "racetrapd\[$d\]: \[$fp part " $msgs >/tmp/racetrapd.parts
names_both_sides /tmp/racetrapd.parts
check $? parts_together_name_both_sides
diag "$(head -n 3 /tmp/racetrapd.parts | cut -c 1-400)"

# fix_racy ran until two periodic summaries, then its final one.
p1=$(sed -n "s/.*racetrapd\[$d\]: .*attached to pid \([0-9]*\) (fix_racy).*/\1/p" $msgs | head -n 1)
[ -n "$p1" ] &&
	[ "$(grep -c "racetrapd\[$d\]: .*summary for fix_racy (pid $p1)" $msgs)" -ge 3 ]
check $? periodic_summary_logged
diag "$(grep "racetrapd\[$d\]: .*summary for fix_racy" $msgs | cut -c 1-200)"

grep -q "racetrapd\[$d\]: racetrapd: configuration reloaded" $msgs
check $? good_reload_logged

grep -q "racetrapd\[$d\]: racetrapd: stopped" $msgs
check $? shutdown_logged
diag "stderr: $(cat /tmp/racetrapd.err)"

# "user": the same program by root and by user (uid 1000), at once; only
# the latter's process may be attached.  racetrapd runs as
# racetrapd.service would: with only the unit's capabilities and
# no_new_privs (fix_capset), no network, its own empty /tmp and /home
# hiding the program, which only its owner may read (as a service's may
# be); unshare, sh and fix_capset exec in turn, so $! is racetrapd's pid.
# The report must still name both racing functions: code read through
# /proc/PID/map_files, symbols through /proc/PID/root.
start=$(($(wc -l <$log) + 1))
prog=/home/user/fix_racy
uconf=/run/racetrapd-user.conf
cp $FIX/fix_racy $prog && chown user:user $prog && chmod 0700 $prog
printf 'name fix_racy\nuser user\n' >$uconf
unshare -m -n --propagation private sh -c \
	'mount -t tmpfs tmpfs /home && mount -t tmpfs tmpfs /tmp && exec "$@"' sh \
	$FIX/fix_capset $FIX/racetrapd.service racetrapd -c $uconf 2>/tmp/racetrapd.err &
d=$!
sleep 1
$prog 600 >/dev/null &
root_pid=$!
# busybox su execs the shell, which execs the program: $! is its pid.
su -s /bin/sh user -c "exec $prog 600" >/dev/null 2>&1 &
user_pid=$!
# Until the user's process is reported, however long attaching takes
# (13 s once under the debug kernel on a loaded host), at most 120 s.
i=0
until tail -n +$start $log | grep -q "racetrapd\[$d\]: .*WARNING: DATA RACE" ||
	[ $i -ge 600 ]; do
	sleep 0.2
	i=$((i + 1))
done
kill -0 $d
check $? daemon_runs_as_the_unit_would
kill -TERM $d
wait $d
kill -USR1 $root_pid $user_pid
wait $root_pid $user_pid
sleep 1
tail -n +$start $log >$msgs

grep -q "racetrapd\[$d\]: .*started: 1 target from $uconf and the command line; only processes whose real uid is 1000" $msgs
check $? user_restriction_logged_at_start
grep -q "racetrapd\[$d\]: .*attached to pid $user_pid (fix_racy)" $msgs
check $? allowed_users_process_attached
# CAP_PERFMON is the clock trigger's right, even where perf_event_paranoid
# 3 refuses racetrapd the proof event (it wants CAP_SYS_ADMIN).
grep -q "racetrapd\[$d\]: .*attached to pid $user_pid (fix_racy): .* triggers site,clock," $msgs
check $? clock_trigger_with_the_units_capabilities
diag "kernel.perf_event_paranoid is $(cat /proc/sys/kernel/perf_event_paranoid)"
! grep -q "racetrapd\[$d\]: .*attached to pid $root_pid " $msgs
check $? other_users_process_not_attached
! grep -q "racetrapd\[$d\]: .*not sampling $prog" $msgs
check $? hidden_owner_only_program_sampled
grep "racetrapd\[$d\]: .*WARNING: DATA RACE" $msgs >/tmp/racetrapd.whole
names_both_sides /tmp/racetrapd.whole
check $? hidden_program_report_names_both_sides
diag "root's pid $root_pid, user's pid $user_pid; stderr: $(cat /tmp/racetrapd.err)"
diag "$(grep "racetrapd\[$d\]" $msgs | cut -c 1-300 | head -n 12)"

ktap_done
