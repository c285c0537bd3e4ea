#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# racetrap attach sets up beside a running target in a thread of its own
# at nice 10 (--setup-nice), while its main thread keeps its priority;
# racetrap run sets up before its command starts, at its own priority.
# The threads of the racetrap process are looked at while it sets up
# (until it says "attached"), with the site-table cache off so that the
# decode happens.
. "$(dirname "$0")/ktap.sh"
out=/tmp/setup_nice.out

ktap_plan 3

# seen_nice PID FILE: the nice values of PID's threads, polled until FILE
# says "attached" (at most 30 s), one "TID:NICE" per thread and value.
seen_nice() {
	seen=
	i=0
	while [ $i -lt 3000 ] && ! grep -q attached "$2"; do
		for st in /proc/"$1"/task/*/stat; do
			[ -r "$st" ] || continue
			nice=$(awk '{ print $19 }' "$st" 2>/dev/null)
			tid=${st%/stat}
			tid=${tid##*/}
			case " $seen " in
			*" $tid:$nice "*) ;;
			*) seen="$seen $tid:$nice" ;;
			esac
		done
		sleep 0.01
		i=$((i + 1))
	done
	echo "$seen"
}

$FIX/fix_racy 60 >/dev/null &
pid=$!
sleep 1
racetrap attach --duration 2 --cache-dir none $pid >$out 2>&1 &
apid=$!
seen=$(seen_nice $apid $out)
wait $apid
diag "attach: threads (tid:nice) while setting up:$seen"
case "$seen" in *" $apid:0"*) main=0 ;; *) main=1 ;; esac
check $main attach_main_thread_keeps_priority
case "$seen" in *:10*) setup=0 ;; *) setup=1 ;; esac
check $setup attach_sets_up_at_nice_10

racetrap attach --duration 2 --cache-dir none --setup-nice 0 $pid >$out 2>&1 &
apid=$!
seen=$(seen_nice $apid $out)
wait $apid
diag "attach --setup-nice 0:$seen"
case "$seen" in *:10* | "") zero=1 ;; *" $apid:0"*) zero=0 ;; *) zero=1 ;; esac
check $zero setup_nice_0_keeps_priority
kill $pid 2>/dev/null
wait $pid 2>/dev/null
ktap_done
