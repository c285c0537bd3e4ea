#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# racetrap attach sets up beside a running target in a thread of its own
# at nice 10 (--setup-nice), while its main thread keeps its priority;
# racetrap run sets up before its command starts, at its own priority.
# The threads of the racetrap process are looked at while it sets up
# (until it says "attached"), with the site-table cache off so that the
# decode happens.  Beside more busy threads than CPUs nice 10 would starve
# the set-up: after 2 s it continues at racetrap's own priority (root may
# raise it again).
. "$(dirname "$0")/ktap.sh"
out=/tmp/setup_nice.out

ktap_plan 4

# seen_nice PID FILE: the nice values of PID's threads, polled until FILE
# says "attached" (at most 30 s): "TID:NICE" for each thread when first
# seen and at each change of its nice, in order.  Each look reads the
# stat files with the shell's own read, no program started: on a slow
# host (the debug kernel) an awk per thread once took the 2 s grace.
seen_nice() {
	seen=
	i=0
	sn_pid=$1
	sn_out=$2
	while [ $i -lt 3000 ] && ! grep -q attached "$sn_out"; do
		for st in /proc/"$sn_pid"/task/*/stat; do
			nice=
			# racetrap's comm has no blank: field 19 is the nice.
			# shellcheck disable=SC2086,SC2046  # the fields, one per word
			read -r line 2>/dev/null <"$st" && set -- $line &&
				[ $# -ge 19 ] && shift 18 && nice=$1
			tid=${st%/stat}
			tid=${tid##*/}
			prev=
			eval "prev=\${nice_$tid:-}"
			if [ -n "$nice" ] && [ "$prev" != "$nice" ]; then
				seen="$seen $tid:$nice"
				eval "nice_$tid=$nice"
			fi
		done
		sleep 0.01
		i=$((i + 1))
	done
	echo "$seen"
}

# attach_seen [OPTION...]: racetrap attach to $pid with the cache off,
# its threads' nice values polled while it sets up, into $seen and
# $apid.  A set-up can end before the poller first looks (nothing seen),
# which shows nothing: up to three tries; $tries says how many it took.
attach_seen() {
	tries=0
	seen=
	while [ -z "$seen" ] && [ $tries -lt 3 ]; do
		tries=$((tries + 1))
		racetrap attach --duration 2 --cache-dir none "$@" $pid \
			>$out 2>&1 &
		apid=$!
		seen=$(seen_nice $apid $out)
		wait $apid
	done
}
$FIX/fix_racy 60 >/dev/null &
pid=$!
sleep 1
attach_seen
diag "attach: threads (tid:nice) while setting up (try $tries):$seen"
case "$seen" in *" $apid:0"*) main=0 ;; *) main=1 ;; esac
check $main attach_main_thread_keeps_priority
case "$seen" in *:10*) setup=0 ;; *) setup=1 ;; esac
check $setup attach_sets_up_at_nice_10

attach_seen --setup-nice 0
diag "attach --setup-nice 0 (try $tries):$seen"
case "$seen" in *:10* | "") zero=1 ;; *" $apid:0"*) zero=0 ;; *) zero=1 ;; esac
check $zero setup_nice_0_keeps_priority

# 16 busy loops and the target's 2 threads on the guest's CPUs: nice 10
# gets about 1% of one, far from the decode's needs in 2 s.  The poller
# (this shell and its awk) runs at nice -10 meanwhile, everything else at
# 0: at 0 beside 18 busy threads it once first looked at the set-up
# thread after its grace, found it raised already, and could not tell.
renice -10 -p $$ >/dev/null
hogs=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	sh -c 'renice 0 -p $$ >/dev/null; while :; do :; done' &
	hogs="$hogs $!"
done
t0=$(cut -d' ' -f1 /proc/uptime)
# shellcheck disable=SC2016  # $$ and $1 are the inner shell's
sh -c 'renice 0 -p $$ >/dev/null
	exec racetrap attach --duration 1 --cache-dir none "$1"' sh $pid \
	>$out 2>&1 &
apid=$!
seen=$(seen_nice $apid $out)
t1=$(cut -d' ' -f1 /proc/uptime)
wait $apid
# shellcheck disable=SC2086  # one pid per word
kill $hogs 2>/dev/null
renice 0 -p $$ >/dev/null
took=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
diag "attach beside 16 busy loops, attached after ${took} s:$seen"
raised=1
lowered=0
for e in $seen; do
	case "$e" in
	"$apid":*) ;;
	*:10)
		lowered=1
		case " ${seen#*" $e"} " in *" ${e%:10}:0 "*) raised=0 ;; esac
		;;
	esac
done
if grep -q attached $out && awk -v t="$took" 'BEGIN { exit !(t < 2.5) }'; then
	skip setup_priority_raised_after_grace "set-up ended within the grace"
elif [ $lowered = 0 ]; then
	# Never seen at nice 10: not seen before its grace ended, or not at
	# all before the poller gave up (30 s).  That shows nothing here; a
	# set-up that never lowers its priority fails attach_sets_up_at_nice_10.
	skip setup_priority_raised_after_grace "set-up thread not seen at nice 10"
else
	check $raised setup_priority_raised_after_grace
fi
kill $pid 2>/dev/null
wait $pid 2>/dev/null
ktap_done
