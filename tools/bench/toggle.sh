# SPDX-License-Identifier: GPL-2.0
#
# toggle.sh: the toggled measurements of `make bench`, sourced by
# guest.sh (busybox sh, inside the VM); its parts are "toggle" and "idle".
#
# One long-running process per workload; racetrap attaches to it by pid and
# detaches again, slice after slice: detached, attached at the first
# budget, detached, attached at the next budget, ... detached.  A separate
# process (ticks) records the workload's operations every 100 ms, so a
# slow drift of the host (other VMs) moves the attached and detached
# slices around it alike, and every attached slice is compared with the
# detached slices just before and after it (tools/bench/toggle.awk).
#
# The first DROP seconds after each switch are left out of the slice's
# rate and reported apart ("early" in the slice line): after an attach they
# hold the CLI's set-up (decoding the binary and its libraries on the
# target's CPUs; that is the throughput of the first seconds after
# attach, Documentation/benchmarks.rst), after a detach the removal of
# probes and the module's teardown.  The steady state is what the budget
# promises to bound.
#
# An attached slice is preceded by a "setup" slice: from starting
# `racetrap attach` to its "attached" line, the CLI reading and decoding the
# target's code.  Its rate is the throughput of the first seconds after
# attach; the attached slice proper is SLICE seconds from "attached".
#
# Lines printed:
#   BENCH slice WORKLOAD N STATE BUDGET RATE TICKS EARLY SECONDS
#        slice N of WORKLOAD: STATE "det", "setup" or "att" (racetrap
#        attached) or, for the idle check, "unloaded" / "loaded"; or
#        "switch" (detaching, insmod, rmmod: counted for neither); BUDGET
#        the --budget of a setup or attached slice ("-" otherwise); RATE
#        operations per second over its TICKS ticks after the first DROP
#        seconds; EARLY the rate of those first DROP seconds; SECONDS its
#        length
#   BENCH stat WORKLOAD BUDGET NAME VALUE     a counter of racetrap status,
#        summed over the attached slices at BUDGET
#   BENCH stat WORKLOAD BUDGET covered_s S    seconds those counters cover
#   BENCH stat WORKLOAD BUDGET cpu_s S        the target's CPU seconds
#        over the same attached slices (utime + stime)
#   BENCH stat WORKLOAD BUDGET cli_cpu_s S    the racetrap CLI's CPU seconds,
#        set-up included
#   BENCH stat WORKLOAD BUDGET cli_att_cpu_s S  the same over the attached
#        slices only (from "attached" to detach: records, status, rescans)
#   BENCH na WORKLOAD toggle REASON           the workload could not run

TICK_MS=100
MC_PORT=11211
REDIS_PORT=6379
# The racetrap client's status file, read before each detach; /run may
# not exist in the guest.
RACETRAP_STATUS_DIR=$T/status
export RACETRAP_STATUS_DIR

now_s() {
	cut -d' ' -f1 /proc/uptime
}

# cpu_ticks PID: utime + stime, in clock ticks (USER_HZ, 100 on x86).
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

lo_up() {
	ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null
}

# start_target WORKLOAD SECONDS: starts the workload (and for a server its
# load generator) to run about SECONDS, and ticks; sets TPID (the pid to
# attach to) and KILLS (what to end afterwards).  False if it did not start.
start_target() {
	w=$1 len=$2
	rm -f $T/ctr $T/ticks $T/target.out $T/load.out
	case $w in
	memcached)
		command -v memcached >/dev/null || { TOGGLE_WHY="memcached not in the guest"; return 1; }
		lo_up
		# -u root: memcached refuses to run as root without it.
		memcached -u root -l 127.0.0.1 -p $MC_PORT -t 2 -U 0 >$T/target.out 2>&1 &
		TPID=$!
		wait_port memcached $MC_PORT || { TOGGLE_WHY="memcached did not listen: $(reason_of $T/target.out)"; return 1; }
		# Bounded twice: --time, and timeout in case it overruns.
		timeout $((len + 20)) memcaslap -s 127.0.0.1:$MC_PORT -T 1 -c 16 \
			-t "${len}s" >$T/load.out 2>&1 &
		KILLS="$! $TPID"
		$B/ticks -i $TICK_MS -t "$len" memcached $MC_PORT >$T/ticks 2>$T/ticks.err &
		;;
	redis)
		command -v redis-server >/dev/null || { TOGGLE_WHY="redis-server not in the guest"; return 1; }
		lo_up
		redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' \
			--appendonly no --daemonize no >$T/target.out 2>&1 &
		TPID=$!
		wait_port redis $REDIS_PORT || { TOGGLE_WHY="redis-server did not listen: $(reason_of $T/target.out)"; return 1; }
		# -n bounds the count, timeout the time: whichever comes first.
		timeout $((len + 20)) redis-benchmark -h 127.0.0.1 -p $REDIS_PORT \
			-c 16 -n 200000000 -t set,get -q >$T/load.out 2>&1 &
		KILLS="$! $TPID"
		$B/ticks -i $TICK_MS -t "$len" redis $REDIS_PORT >$T/ticks 2>$T/ticks.err &
		;;
	*)
		fresh $T/target.out
		$B/$w -t "$len" -i $T/ctr >$T/target.out 2>&1 &
		TPID=$!
		KILLS=$TPID
		wait_for $T/target.out '^ready' "$START_TIMEOUT" $TPID || { TOGGLE_WHY="did not start: $(reason_of $T/target.out)"; return 1; }
		$B/ticks -i $TICK_MS -t "$len" file $T/ctr >$T/ticks 2>$T/ticks.err &
		;;
	esac
	KILLS="$KILLS $!"
}

# wait_port KIND PORT: until the server answers ticks' first question.
wait_port() {
	n=$((START_TIMEOUT * 10))
	while [ $n -gt 0 ]; do
		$B/ticks -t 0.1 "$1" "$2" >/dev/null 2>&1 && return 0
		alive $TPID || return 1
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

stop_target() {
	# shellcheck disable=SC2086
	kill -KILL $KILLS 2>/dev/null
	for p in $KILLS; do wait "$p" 2>/dev/null; done
}

# The status file of the racetrap client sampling TPID (lib/session/statusfile.h).
status_file() {
	echo "${RACETRAP_STATUS_DIR:-/run/racetrap}/$TPID.status"
}

# attach BUDGET: racetrap attach by pid, as an SRE would; false if it did
# not say it attached.
attach() {
	fresh $T/rt
	# shellcheck disable=SC2086  # options, split on purpose
	racetrap attach --budget "$1" $ATTACH_OPTS $ATTACH_EXTRA "$TPID" \
		>$T/rt 2>&1 &
	APID=$!
	wait_for $T/rt 'attached to pid' "$START_TIMEOUT" $APID && return 0
	kill -KILL $APID 2>/dev/null
	wait $APID 2>/dev/null
	return 1
}

# detach BUDGET: keep the session's last status (refreshed every second),
# then end it.
detach() {
	sf=$(status_file)
	if [ -r "$sf" ]; then
		awk -v b="$1" '$1 == "stat" || $1 == "count" { print b, $2, $3 }
			$1 == "started" { s = $2 } $1 == "updated" { u = $2 }
			END { if (u) print b, "covered_s", u - s }' "$sf" >>$T/stats
	fi
	# The CLI's own CPU time (reading records, symbolising, rescanning):
	# in the guest it runs on the target's two vCPUs.
	a1=$(cpu_ticks $APID)
	echo "$1 cli_cpu_s $a1" >>$T/stats
	echo "$1 cli_att_cpu_s $((a1 - a0))" >>$T/stats
	kill -INT $APID
	wait_exit $APID 30 || kill -KILL $APID 2>/dev/null
	wait $APID 2>/dev/null
	races=$(grep -c 'DATA RACE' $T/rt)
	[ "$races" = 0 ] || grep -A 12 -m 1 'DATA RACE' $T/rt | sed "s/^/BENCH report $w toggle: /"
}

# The idle check's switch: racetrap.ko loaded as a user would load it (no
# rig parameters), or not loaded at all.
load_plain() {
	insmod /lib/racetrap/racetrap.ko
}

unload() {
	rmmod racetrap
}

# toggle_one WORKLOAD MODE: MODE "attach" alternates detached slices
# with attached ones at each of $BUDGETS in turn, CYCLES times; "idle"
# alternates racetrap.ko unloaded and loaded.
toggle_one() {
	w=$1 mode=$2
	if [ "$mode" = idle ]; then
		states="loaded"
	else
		states=$BUDGETS
	fi
	nstates=$(echo $states | wc -w)
	nslices=$((2 * CYCLES * nstates + 1))
	# A bound, not the plan: the target is ended when the slices are done,
	# and set-ups may take long under TCG.
	len=$((nslices * SLICE + CYCLES * nstates * START_TIMEOUT + 60))
	: >$T/marks
	: >$T/stats
	TOGGLE_WHY=
	if ! start_target "$w" "$len"; then
		out na "$w" toggle "$TOGGLE_WHY"
		stop_target
		return
	fi
	sleep "$DROP"
	c=0
	# (bud, not st: alive() sets st, and busybox sh has no locals.)
	while [ $c -lt "$CYCLES" ]; do
		for bud in $states; do
			echo "$(now_s) det -" >>$T/marks
			sleep "$SLICE"
			if [ "$mode" = idle ]; then
				# insmod and rmmod themselves fall in "switch"
				# slices, which count for neither state.
				echo "$(now_s) switch -" >>$T/marks
				load_plain || { out na "$w" toggle "insmod failed"; break 2; }
				echo "$(now_s) loaded -" >>$T/marks
				sleep "$SLICE"
				echo "$(now_s) switch -" >>$T/marks
				unload || { out na "$w" toggle "rmmod failed"; break 2; }
				continue
			fi
			echo "$(now_s) setup $bud" >>$T/marks
			if ! attach "$bud"; then
				out na "$w" toggle "attach failed: $(reason_of $T/rt)"
				break 2
			fi
			c0=$(cpu_ticks $TPID)
			a0=$(cpu_ticks $APID)
			echo "$(now_s) att $bud" >>$T/marks
			sleep "$SLICE"
			echo "$(now_s) switch -" >>$T/marks
			detach "$bud"
			echo "$bud cpu_s $(($(cpu_ticks $TPID) - c0))" >>$T/stats
		done
		c=$((c + 1))
	done
	echo "$(now_s) det -" >>$T/marks
	sleep "$SLICE"
	echo "$(now_s) end -" >>$T/marks
	stop_target
	[ "$mode" = idle ] && sed -i 's/^det/unloaded/; s/ det / unloaded /' $T/marks
	slices "$w" $T/marks $T/ticks
	# cpu_s and cli_cpu_s went in as clock ticks; printed in seconds.
	awk -v w="$w" '{ k = $1 " " $2; v[k] += $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
		END { for (i = 1; i <= n; i++) { split(order[i], f, " ")
			x = v[order[i]]; if (f[2] ~ /cpu_s$/) x /= 100
			print "BENCH stat", w, order[i], x } }' $T/stats
}

# slices WORKLOAD MARKS TICKS: one slice line per interval between marks.
slices() {
	awk -v w="$1" -v drop="$DROP" -v per_s=$((1000 / TICK_MS)) '
		FNR == NR { t[NR] = $1; st[NR] = $2; b[NR] = $3; n = NR; next }
		{ tick_t[++m] = $1; tick_c[m] = $2 }
		END {
			for (i = 1; i < n; i++) {
				s = t[i]; e = t[i + 1]; sum = 0; k = 0; es = 0; ek = 0
				for (j = 1; j <= m; j++) {
					if (tick_t[j] <= s + 0.1 || tick_t[j] > e) continue
					if (tick_t[j] <= s + drop) { es += tick_c[j]; ek++ }
					else { sum += tick_c[j]; k++ }
				}
				if (st[i] == "setup") { sum += es; k += ek; es = 0; ek = 0 }
				if (k == 0) continue
				printf "BENCH slice %s %d %s %s %.1f %d %.1f %.2f\n", w, i, st[i], b[i],
					sum * per_s / k, k, ek ? es * per_s / ek : 0, e - s
			}
		}' "$2" "$3"
}

toggle() {
	have_racetrap || {
		out info toggle_na "racetrap.ko or CLI missing"
		return
	}
	out info toggle "slice=$SLICE drop=$DROP cycles=$CYCLES budgets=$BUDGETS tick_ms=$TICK_MS"
	# The site-table cache's default directory, as an installed system
	# has it: re-attaching to a binary then loads its decoded sites.
	mkdir -p /var/cache/racetrap
	# The budget's price of a breakpoint's context switch, measured in
	# this guest, as racetrapd.service sets it before each start on an
	# installed host.
	out info calibrate "$(racetrap calibrate --write 2>&1 | tr '\n' ' ')"
	for w in $TOGGLE_WORKLOADS; do
		toggle_one "$w" attach
	done
}

# Loaded but detached: racetrap.ko reloaded without the rig's
# parameters (pin_perf_hooks=1, pin_fork_probe=1), against not loaded,
# on a context-switch heavy workload; then the rig's state comes back
# for the parts after this, with the budget's divisor at 1 as guest.sh
# set it at the start (the rig's list has the test VM's divisor).
idle() {
	[ -r /lib/racetrap/racetrap.ko ] || {
		out info idle_na "no /lib/racetrap/racetrap.ko"
		return
	}
	out info idle "slice=$SLICE drop=$DROP cycles=$CYCLES workload=pingpong"
	unload 2>/dev/null
	toggle_one pingpong idle
	[ -d /sys/module/racetrap ] && unload
	# shellcheck disable=SC2046 # one word per parameter
	insmod /lib/racetrap/racetrap.ko $(cat /lib/racetrap/params 2>/dev/null) \
		2>/dev/null || load_plain
	echo 1 >/sys/module/racetrap/parameters/emulated_cost_div 2>/dev/null
}
