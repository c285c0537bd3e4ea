#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The soak: for MINUTES (default 30), attachments begin and end every way
# they can, over and over, on C and Go programs, threaded and per-request:
# `racetrap attach` for a random time, `racetrap run`, the client killed
# (SIGKILL) while it samples, the target killed, racetrapd started and
# stopped, and an ABI fuzzer burst now and then.  After every round, with
# no client left: no thread of any target is stalled, the module holds no
# reference, and the tools did not crash.  The kernel log must stay clean
# (the rig fails the run on any BUG, WARNING, KASAN or lockdep line);
# where kmemleak exists it is scanned at the end.  The kernel's slab
# memory is printed at the start and end.
#
#   /selftests/soak/soak.sh [MINUTES]
# Not part of /selftests/run (it is no test_*): `make soak` runs it.
. "$(dirname "$0")/../userspace/ktap.sh"
C=/selftests/corpus
minutes=${1:-30}
out=/tmp/soak.out
rig_params=$(cat /lib/racetrap/params 2>/dev/null)

progs="racy_stats racy_map racy_reqstats free_mutex nofp/racy_lazyinit
go_racy_loopvar go_racy_reqmap go_free_channel"

ktap_plan 6

slab() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
# Any thread of a process named like the corpus, or racetrap's, stalled?
stalled() {
	for s in /proc/[0-9]*/task/[0-9]*/stat; do
		sed -n 's/^[0-9]* (\(.*\)) D .*/\1/p' "$s" 2>/dev/null
	done | grep -E 'racy|free|fix_' | head -n 1
}
refcount() { awk '$1 == "racetrap" { print $3 }' /proc/modules; }
# 0..N-1 (busybox's date has no %N to seed awk with)
rnd() { echo $(($(od -An -N2 -tu2 /dev/urandom) % $1)); }
# $prog running (pid $t) and `racetrap attach` sampling it (pid $c).
target_and_client() {
	$prog 30 >/dev/null 2>&1 &
	t=$!
	sleep 0.3
	racetrap attach $t >$out 2>&1 &
	c=$!
}

slab0=$(slab)
diag "soak for $minutes min; slab $slab0 kB at the start"
end=$(($(date +%s) + minutes * 60))
rounds=0 crashes=0 stalls=0 refs=0 kinds=""
while [ "$(date +%s)" -lt $end ]; do
	rounds=$((rounds + 1))
	set -- $progs
	shift "$(rnd $#)"
	prog=$C/$1
	kind=$(rnd 6)
	case $kind in
	0)	# attach for a random time, detach
		$prog 30 >/dev/null 2>&1 &
		t=$!
		sleep 0.5
		racetrap attach --duration $((1 + $(rnd 4))) $t >$out 2>&1
		[ $? -ge 128 ] && crashes=$((crashes + 1)) && diag "attach crashed: $(tail -n 3 $out)"
		kill -9 $t; wait $t 2>/dev/null ;;
	1)	# racetrap run to the program's end
		racetrap run -- $prog 2 >$out 2>&1
		[ $? -ge 128 ] && crashes=$((crashes + 1)) && diag "run crashed: $(tail -n 3 $out)" ;;
	2)	# the client killed while it samples
		target_and_client
		sleep "0.$(rnd 10)$(rnd 10)"
		kill -9 $c; wait $c 2>/dev/null
		kill -9 $t; wait $t 2>/dev/null ;;
	3)	# the target killed while sampled
		target_and_client
		sleep "1.$(rnd 10)"
		kill -9 $t; wait $t 2>/dev/null
		wait $c
		[ $? -ge 128 ] && crashes=$((crashes + 1)) && diag "attach crashed at target exit" ;;
	4)	# racetrapd picks the program up by name, then stops
		$prog 30 >/dev/null 2>&1 &
		t=$!
		racetrapd --stderr --config /dev/null --name "$(basename $prog)" >$out 2>&1 &
		d=$!
		# Its signal handlers are set once it says "started": a
		# SIGTERM before that kills it, which is no crash of its.
		i=0
		until grep -q 'started:' $out || [ $i -ge 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sleep $((1 + $(rnd 3)))
		kill -TERM $d; wait $d
		[ $? -ge 128 ] && crashes=$((crashes + 1)) && diag "racetrapd crashed: $(tail -n 3 $out)"
		kill -9 $t; wait $t 2>/dev/null ;;
	5)	# an ABI fuzzer burst
		/selftests/abi/test_fuzz 3 >$out 2>&1 ||
			diag "fuzz burst: $(grep -v '^ok' $out | tail -n 3)" ;;
	esac
	kinds="$kinds$kind"
	sleep 0.2
	s=$(stalled)
	[ -n "$s" ] && stalls=$((stalls + 1)) && diag "round $rounds ($kind): $s stalled"
	r=$(refcount)
	[ "${r:-0}" != 0 ] && refs=$((refs + 1)) && diag "round $rounds ($kind): module refcount $r with no client"
done
slab1=$(slab)
diag "$rounds rounds (kinds 0-5: $(for k in 0 1 2 3 4 5; do printf '%s ' "$(printf %s "$kinds" | tr -cd $k | wc -c)"; done)); slab $slab0 -> $slab1 kB"
[ $rounds -gt 0 ]
check $? soak_ran
[ $crashes = 0 ]
check $? soak_no_tool_crashed
[ $stalls = 0 ]
check $? soak_no_thread_left_stalled
[ $refs = 0 ]
check $? soak_module_released
if [ -w /sys/kernel/debug/kmemleak ] || { mount -t debugfs none /sys/kernel/debug 2>/dev/null && [ -w /sys/kernel/debug/kmemleak ]; }; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
	[ "$leaks" = 0 ] || diag "$(head -n 40 /sys/kernel/debug/kmemleak)"
	[ "$leaks" = 0 ]
	check $? soak_kmemleak_clean
else
	skip soak_kmemleak_clean "no kmemleak in this kernel"
fi
rmmod racetrap
check $? soak_module_unloads
# shellcheck disable=SC2086 # $rig_params: one word per parameter
insmod /lib/racetrap/racetrap.ko $rig_params
ktap_done
