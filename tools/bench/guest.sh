#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh: the half of `make bench` that runs inside the VM (busybox sh).
# Measures every workload under every tool, one column at a time, and
# prints raw numbers as "BENCH ..." lines on the console for tools/bench/run
# to collect; it computes no medians itself.  Lines:
#   BENCH tput WORKLOAD COLUMN RUN VALUE      throughput of one run
#   BENCH na WORKLOAD COLUMN REASON...        the column cannot run
#   BENCH sweep BUDGET PERIOD_US RUN VALUE    pool under racetrap, swept
#   BENCH sweepbase BUDGET PERIOD_US RUN VALUE  pool unattached, just before
#   BENCH trig WORKLOAD TRIGGERS RUN VALUE    racetrap with one trigger only
#   BENCH trigbase WORKLOAD TRIGGERS RUN VALUE  unattached, just before
#   BENCH detect PROGRAM TOOL RUN SECONDS     first report ("timeout": none)
#   BENCH mem KEY VALUE                       memory deltas, in KiB
#   BENCH info KEY VALUE...                   facts about the run
#   BENCH report WORKLOAD RUN: TEXT           a race racetrap reported
# and the toggled measurements' lines (toggle.sh: slice, stat).
# Settings come from /bench/guest.conf (written by tools/bench/run).

B=/bench
. $B/guest.conf
. $B/toggle.sh
T=/tmp/bench
mkdir -p $T
# The bench measures the budget as a real host keeps it: the rig's
# emulated_cost_div (tools/vm/init) goes back to 1.
echo 1 >/sys/module/racetrap/parameters/emulated_cost_div 2>/dev/null

out() {
	echo "BENCH $*"
}

# fresh FILE...: empty each FILE before starting what writes it.  The
# command's own ">FILE" truncates it only once its child runs, and a
# wait_for in between would find the last run's "ready" or "attached to
# pid" there: an attach taken as done before its set-up.
fresh() {
	for f; do
		: >"$f"
	done
}

# wait_for FILE TEXT SECONDS [PID]: until FILE holds TEXT; false on
# timeout or once PID has exited.
wait_for() {
	n=$(($3 * 10))
	while [ $n -gt 0 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		[ -n "$4" ] && ! alive "$4" && return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# alive PID: running, not a zombie the shell has yet to reap.
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

# wait_exit PID SECONDS: false if PID still runs after SECONDS.
wait_exit() {
	n=$(($2 * 10))
	while alive "$1"; do
		[ $n -gt 0 ] || return 1
		sleep 0.1
		n=$((n - 1))
	done
}

# The line of FILE that says why a run failed: valgrind's own complaint
# if there is one (its crash dumps end in boilerplate), else the last.
reason_of() {
	{
		grep -m 1 -E 'valgrind: |vex |unhandled instruction|Assertion|^fatal error|^panic|^unexpected fault|^SIG[A-Z]+: ' "$1" ||
			tail -n 2 "$1"
	} 2>/dev/null | tr -s '\n\t' '  ' | cut -c 1-120
}

# The command that runs WORKLOAD under COLUMN, or nothing when it can't.
command_for() {
	w=$1
	case $2 in
	base | racetrap)
		echo "$B/$w"
		;;
	tsan)
		[ -x "$B/$w.tsan" ] && echo "$TSAN_PREFIX $B/$w.tsan"
		;;
	gorace)
		[ -x "$B/$w.race" ] && echo "$B/$w.race"
		;;
	helgrind)
		echo "valgrind --tool=helgrind -q $B/$w"
		;;
	esac
}

# run_one WORKLOAD COLUMN RUN [RACETRAP-OPTION...]: one measured run,
# printed as a tput line (or a sweep line when SWEEP_TAG is set).
run_one() {
	w=$1 col=$2 run=$3
	shift 3
	cmd=$(command_for "$w" "$col")
	fresh $T/out $T/err
	# shellcheck disable=SC2086
	$cmd -t "$SECS" -s >$T/out 2>$T/err &
	pid=$!
	if ! wait_for $T/out '^ready' "$START_TIMEOUT" $pid; then
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		out na "$w" "$col" "did not start: $(reason_of $T/err)"
		return 1
	fi
	apid=
	if [ "$col" = racetrap ]; then
		fresh $T/rt
		racetrap attach $pid "$@" >$T/rt 2>&1 &
		apid=$!
		if ! wait_for $T/rt 'attached to pid' "$START_TIMEOUT" $apid; then
			kill -KILL $pid $apid 2>/dev/null
			wait $pid 2>/dev/null
			wait $apid 2>/dev/null
			out na "$w" "$col" "attach failed: $(reason_of $T/rt)"
			return 1
		fi
	fi
	sleep "$WARMUP"
	kill -USR1 $pid
	# Measuring takes SECS; stopping and joining may take long under the
	# slow tools, but not forever.
	if ! wait_exit $pid $((SECS + RUN_GRACE)); then
		kill -KILL $pid $apid 2>/dev/null
		wait $pid 2>/dev/null
		[ -n "$apid" ] && wait $apid 2>/dev/null
		out na "$w" "$col" "did not finish within $((SECS + RUN_GRACE)) s"
		return 1
	fi
	wait $pid
	[ -n "$apid" ] && wait $apid
	v=$(sed -n 's/^throughput \([0-9.]*\) .*/\1/p' $T/out)
	if [ -z "$v" ]; then
		out na "$w" "$col" "no result: $(reason_of $T/err)"
		return 1
	fi
	# A sweep or trigger point's own unattached run is its "...base".
	suffix=
	[ "$col" = base ] && suffix=base
	if [ -n "$TRIG_TAG" ]; then
		out "trig$suffix" "$w" "$TRIG_TAG" "$run" "$v"
	elif [ -n "$SWEEP_TAG" ]; then
		out "sweep$suffix" "$SWEEP_TAG" "$run" "$v"
	else
		out tput "$w" "$col" "$run" "$v"
	fi
	if [ "$col" = racetrap ]; then
		races=$(grep -c 'DATA RACE' $T/rt)
		out info races "$w" "$run" "$races"
		# A report on a workload is a harness bug or a false positive:
		# show the first one.
		[ "$races" = 0 ] || grep -A 12 -m 1 'DATA RACE' $T/rt |
			sed "s/^/BENCH report $w $run: /"
	fi
}

# column WORKLOAD COLUMN RUN: one run of a column that has not failed
# yet for this workload.  A failure (already reported) skips the slow
# tools' later runs, which would only fail again at great length; the
# unattached and racetrap runs go on, so a racetrap run that fails once
# in several is counted as such and its other runs still measured.
column() {
	case " $failed " in
	*" $1/$2 "*) return ;;
	esac
	if ! command_for "$1" "$2" | grep -q .; then
		out na "$1" "$2" "$(why_na "$2")"
	elif run_one "$1" "$2" "$3"; then
		return
	fi
	case $2 in
	base | racetrap) ;;
	*) failed="$failed $1/$2" ;;
	esac
}

why_na() {
	case $1 in
	tsan) echo "not a C program" ;;
	gorace) echo "not a Go program" ;;
	*) echo "unavailable" ;;
	esac
}

have_racetrap() {
	command -v racetrap >/dev/null && [ -c /dev/racetrap ]
}

# ThreadSanitizer refuses some address-space layouts; setarch -R (or, if
# busybox lacks it, no ASLR for the whole guest) is the usual cure.
pick_tsan_prefix() {
	TSAN_PREFIX=
	$B/pool.tsan -t 0.1 >/dev/null 2>$T/tsan.err && return
	if setarch x86_64 -R true 2>/dev/null; then
		TSAN_PREFIX="setarch x86_64 -R"
	else
		echo 0 >/proc/sys/kernel/randomize_va_space
	fi
	out info tsan_aslr "$(reason_of $T/tsan.err)"
}

# Baseline and racetrap runs alternate, so drift (other VMs on the host)
# hits both alike; the slow tools follow.
throughput() {
	failed=
	for w in $WORKLOADS; do
		have_racetrap || out na "$w" racetrap "racetrap.ko or CLI missing"
		i=1
		while [ $i -le "$RUNS" ]; do
			column "$w" base $i
			have_racetrap && column "$w" racetrap $i
			i=$((i + 1))
		done
	done
	for w in $WORKLOADS; do
		for col in tsan gorace helgrind; do
			i=1
			while [ $i -le "$TOOL_RUNS" ]; do
				column "$w" "$col" $i
				i=$((i + 1))
			done
		done
	done
}

sweep() {
	have_racetrap || return
	for budget in $SWEEP_BUDGETS; do
		for period in $SWEEP_PERIODS; do
			SWEEP_TAG="$budget $period"
			i=1
			while [ $i -le "$SWEEP_RUNS" ]; do
				run_one pool base $i &&
					run_one pool racetrap $i --clock-period \
						"$period" --budget "$budget" || break
				i=$((i + 1))
			done
			SWEEP_TAG=
		done
	done
}

# Which trigger costs what: each alone, at its default rate, on
# every workload.
triggers() {
	have_racetrap || return
	for w in $WORKLOADS; do
		for trig in site clock; do
			TRIG_TAG=$trig
			i=1
			while [ $i -le "$SWEEP_RUNS" ]; do
				run_one $w base $i &&
					run_one $w racetrap $i --triggers $trig ||
					break
				i=$((i + 1))
			done
			TRIG_TAG=
		done
	done
}

# What one window costs the engine as the thread count grows: threads256
# with N threads of which 2 work and the rest wait (as a service's idle
# pool threads do; with all N working, arming would mostly measure the
# sampled thread's wait for a CPU behind N runnable ones), attached with
# no budget limit, at each --watch-threads value of WINDOW_WATCH.  The
# session's counters are read twice, WINDOW_SECS apart, once it runs;
# their differences are printed as
#   BENCH window THREADS:WATCH NAME VALUE   (NAME covered_s: seconds apart)
# and window.awk turns them into time per window.
window_snap() {
	awk '$1 == "stat" { print $2, $3 } $1 == "updated" { print "updated", $2 }' \
		"$1" 2>/dev/null
}

window() {
	have_racetrap || return
	for nthr in $WINDOW_THREADS; do
		for wt in ${WINDOW_WATCH:-auto}; do
			window_at "$nthr" "$wt"
		done
	done
}

window_at() {
	nthr=$1
	key=$1:$2
	fresh $T/out $T/err
	$B/threads256 -n "$nthr" -a 2 -t $((WINDOW_SECS + 10)) -s \
		>$T/out 2>$T/err &
	pid=$!
	if ! wait_for $T/out '^ready' "$START_TIMEOUT" $pid; then
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		out na window "$key" "did not start: $(reason_of $T/err)"
		return
	fi
	# toggle.sh's attach() and status_file() read TPID and ATTACH_EXTRA.
	# shellcheck disable=SC2034
	TPID=$pid
	# shellcheck disable=SC2034
	ATTACH_EXTRA="--watch-threads $2"
	if ! attach 100%; then
		ATTACH_EXTRA=
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		out na window "$key" "attach failed: $(reason_of $T/rt)"
		return
	fi
	ATTACH_EXTRA=
	kill -USR1 $pid
	sleep 2
	window_snap "$(status_file)" >$T/w0
	sleep "$WINDOW_SECS"
	window_snap "$(status_file)" >$T/w1
	awk -v n="$key" 'NR == FNR { a[$1] = $2; next }
		$1 == "updated" { print "BENCH window", n, "covered_s", $2 - a[$1]; next }
		{ print "BENCH window", n, $1, $2 - a[$1] }' $T/w0 $T/w1
	kill -INT $APID
	wait_exit $APID 30 || kill -KILL $APID 2>/dev/null
	wait $APID 2>/dev/null
	wait_exit $pid $((WINDOW_SECS + RUN_GRACE)) ||
		kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
}

# detect_runs NAME TOOL RUNS COMMAND...: seconds to the first report.
detect_runs() {
	name=$1 tool=$2 n=$3
	shift 3
	i=1
	while [ $i -le "$n" ]; do
		s=$($B/timeto 'data race' "$DETECT_TIMEOUT" "$@")
		out detect "$name" "$tool" $i "${s:-error}"
		i=$((i + 1))
	done
}

# The racy programs of selftests/corpus/MANIFEST ("program label lang
# source marker"): racetrap runs the production build, TSan and Go -race
# the corpus's own instrumented builds.  Each program runs for SECONDS
# (its argument), longer than the timeout, so only a report ends it early.
detection() {
	man=/selftests/corpus/MANIFEST
	if [ ! -r $man ]; then
		out info detect_na "no selftests/corpus/MANIFEST"
		return
	fi
	grep -v '^[[:space:]]*#' $man | while read -r name label lang rest; do
		[ "$label" = racy ] || continue
		echo "$name" | grep -Eq "$DETECT_ONLY" || continue
		prog=/selftests/corpus/$name
		if have_racetrap && [ -x "$prog" ]; then
			detect_runs "$name" racetrap "$DETECT_RUNS" \
				racetrap run -- "$prog" $((DETECT_TIMEOUT + 30))
		fi
		label_build=$B/corpus/$name
		[ -x "$label_build" ] || continue
		if [ "$lang" = go ]; then
			detect_runs "$name" gorace "$DETECT_TOOL_RUNS" \
				"$label_build" $((DETECT_TIMEOUT + 30))
		else
			# shellcheck disable=SC2086
			detect_runs "$name" tsan "$DETECT_TOOL_RUNS" \
				$TSAN_PREFIX "$label_build" $((DETECT_TIMEOUT + 30))
		fi
	done
}

kb() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# Kernel memory the slab, vmalloc, kernel stacks and page tables hold.
kernel_kb() {
	echo $(($(kb Slab) + $(kb VmallocUsed) + $(kb KernelStack) + $(kb PageTables)))
}

proc_kb() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null
}

settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}

# attach_idle PROCS THREADS TAG: kernel memory delta of attaching to
# PROCS idle processes of THREADS threads each, minus what the racetrap
# processes themselves hold in user memory.
attach_idle() {
	pids= apids=
	j=0
	while [ $j -lt "$1" ]; do
		fresh $T/idle.$j
		$B/idle -n "$2" >$T/idle.$j &
		pids="$pids $!"
		wait_for $T/idle.$j '^ready' "$START_TIMEOUT"
		j=$((j + 1))
	done
	settle
	k0=$(kernel_kb) a0=$(kb MemAvailable)
	j=0
	for p in $pids; do
		fresh $T/rt.$j
		racetrap attach "$p" >$T/rt.$j 2>&1 &
		apids="$apids $!"
		wait_for $T/rt.$j 'attached to pid' "$START_TIMEOUT"
		j=$((j + 1))
	done
	sleep 2
	settle
	k1=$(kernel_kb) a1=$(kb MemAvailable)
	user=0
	for a in $apids; do
		user=$((user + $(proc_kb "$a" RssAnon) + $(proc_kb "$a" VmPTE)))
	done
	out mem "$3_kernel" $((k1 - k0))
	out mem "$3_avail" $((a0 - a1 - user))
	# shellcheck disable=SC2086
	kill -INT $apids
	for a in $apids; do wait "$a"; done
	# shellcheck disable=SC2086
	kill -KILL $pids
	for p in $pids; do wait "$p" 2>/dev/null; done
}

# The target's own memory, attached and not, over the same interval.
target_memory() {
	for col in base racetrap; do
		fresh $T/out
		$B/pool -t 600 -s >$T/out 2>&1 &
		pid=$!
		wait_for $T/out '^ready' "$START_TIMEOUT"
		sleep 1
		r0=$(awk '/^Rss:/ { print $2 }' /proc/$pid/smaps_rollup)
		p0=$(awk '/^Pss:/ { print $2 }' /proc/$pid/smaps_rollup)
		awk '{ print $1, $6 }' /proc/$pid/maps >$T/maps0
		apid=
		if [ $col = racetrap ]; then
			fresh $T/rt
			racetrap attach $pid >$T/rt 2>&1 &
			apid=$!
			wait_for $T/rt 'attached to pid' "$START_TIMEOUT"
		fi
		sleep 5
		r1=$(awk '/^Rss:/ { print $2 }' /proc/$pid/smaps_rollup)
		p1=$(awk '/^Pss:/ { print $2 }' /proc/$pid/smaps_rollup)
		out mem "target_${col}_rss" $((r1 - r0))
		out mem "target_${col}_pss" $((p1 - p0))
		if [ $col = racetrap ]; then
			# racetrap maps nothing into its targets: any mapping
			# that appeared while attached is printed.
			awk '{ print $1, $6 }' /proc/$pid/maps >$T/maps1
			out info target_maps "$(awk 'NR == FNR { seen[$0]; next }
				!($0 in seen) { printf "%s ", $0 }' $T/maps0 $T/maps1)"
			kill -INT $apid
			wait $apid
		fi
		kill -KILL $pid
		wait $pid 2>/dev/null
	done
}

memory() {
	have_racetrap || {
		out info mem_na "racetrap.ko or CLI missing"
		return
	}
	out info mem_procs "$MEM_PROCS"
	attach_idle "$MEM_PROCS" 1 procs
	attach_idle 1 1 one_thread
	attach_idle 1 256 threads256
	target_memory
}

out info kernel "$(uname -r)"
out info cpus "$(grep -c ^processor /proc/cpuinfo)"
out info settings "runs=$RUNS tool_runs=$TOOL_RUNS seconds=$SECS"
out info date "$(date -u '+%Y-%m-%d %H:%M')"
pick_tsan_prefix
for part in $PARTS; do
	out info part "$part $(cut -d' ' -f1 /proc/uptime)"
	$part
done
out info done "$(cut -d' ' -f1 /proc/uptime)"
