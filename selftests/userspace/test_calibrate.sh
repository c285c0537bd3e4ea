#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# racetrap calibrate as an admin runs it: it measures what a context
# switch costs a thread holding an execute breakpoint, with the threads on
# one CPU and on two (the VM has two), prints each with its interval,
# leaves the module's price alone unless told, sets it with --write to
# the higher bound it printed, and a usage error changes nothing.  The
# measured values themselves are not checked: they are this VM's.
. "$(dirname "$0")/ktap.sh"
param=/sys/module/racetrap/parameters/bp_switch_ns
out=/tmp/calibrate.out
# Short runs: the VM's switches are slow, and the value is not checked.
fast="--pairs 3 --rounds 300"

ktap_plan 4

old=$(cat $param)
# shellcheck disable=SC2086  # $fast is two options
racetrap calibrate $fast >$out 2>&1
rc=$?
line='context switch holding an execute breakpoint, threads on'
interval='[+-][0-9]+ ns \[[+-][0-9]+, [+-][0-9]+\] \(95%, 3 pairs of 300 round trips\)$'
[ $rc = 0 ] &&
	grep -Eq "^$line one CPU: $interval" $out &&
	grep -Eq "^$line two CPUs: $interval" $out &&
	grep -Eq "^bp_switch_ns: $old now, [0-9]+ measured" $out &&
	[ "$(cat $param)" = "$old" ]
check $? measures_and_leaves_the_price
diag "exit $rc; $(cat $out); bp_switch_ns $(cat $param)"

# The value written is the higher of the two upper ends, rounded up, at
# least 0.
# shellcheck disable=SC2086
racetrap calibrate $fast --write >$out 2>&1
rc=$?
new=$(sed -n "s/^bp_switch_ns: $old -> \([0-9]*\)$/\1/p" $out)
hi=$(sed -n 's/.*, \([+-][0-9]*\)\] (95%.*/\1/p' $out | tr -d + |
	sort -n | tail -n 1)
# (printed rounded to the ns, written rounded up: one apart at most)
[ "${hi:-0}" -lt 0 ] && hi=0
[ $rc = 0 ] && [ -n "$new" ] && [ "$(cat $param)" = "$new" ] &&
	[ "$new" -ge "$hi" ] && [ "$new" -le $((hi + 1)) ]
check $? write_sets_the_printed_bound
diag "exit $rc; $(cat $out); bp_switch_ns $(cat $param)"

echo 1234 >$param
racetrap calibrate --write --pairs 1001 >$out 2>&1
rc=$?
[ $rc = 2 ] && grep -q -- '--pairs: 1001 is out of range: want 1..1000' $out &&
	[ "$(cat $param)" = 1234 ]
check $? usage_error_writes_nothing
diag "exit $rc; $(cat $out); bp_switch_ns $(cat $param)"

# Another racetrap.ko parameter directory does not exist: a clear error.
mount -t tmpfs none /sys/module/racetrap/parameters 2>/dev/null
racetrap calibrate $fast --write >$out 2>&1
rc=$?
umount /sys/module/racetrap/parameters 2>/dev/null
[ $rc = 1 ] && grep -q "$param: No such file or directory (is racetrap.ko loaded?)" $out
check $? write_without_module_names_the_file
diag "exit $rc; $(cat $out)"

echo "$old" >$param
ktap_done
