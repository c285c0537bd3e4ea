#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# jit_phases.sh WORKLOAD: the guest half of jit_phases (run by it, not by
# hand).  One bench workload process, detached and attached in turn with
# each trigger, 20 s detached and 25 s attached per phase; the module's
# emulated_cost_div is set to 1, as `make bench` sets it.  Prints
# "JITMARK start|end PHASE" around each phase, for the host's `info jit`
# readings, and "JITRATE PHASE OPS ops/s" over each phase's last 20 s
# (an attached phase's set-up is left out).
B=/bench
w=$1
echo 1 >/sys/module/racetrap/parameters/emulated_cost_div
"$B/$w" -t 400 -i /tmp/ctr >/tmp/w.out 2>&1 &
pid=$!
sleep 3
$B/ticks -i 100 -t 390 file /tmp/ctr >/tmp/ticks 2>/dev/null &
sleep 2
for phase in det1 site det2 site64 det3 clock det4 site2 det5; do
	echo "JITMARK start $phase"
	case $phase in
	det*) opts= ;;
	site64) opts="--triggers site --site-probes 64" ;;
	site*) opts="--triggers site" ;;
	clock) opts="--triggers clock" ;;
	esac
	if [ -z "$opts" ]; then
		sleep 20
	else
		# shellcheck disable=SC2086  # options, split on purpose
		racetrap attach $opts --duration 25 "$pid" >/tmp/a.out 2>&1
	fi
	end=$(cut -d' ' -f1 /proc/uptime)
	awk -v e="$end" -v p="$phase" '$1 > e - 20 && $1 <= e { n += $2; k++ }
		END { printf "JITRATE %s %.0f ops/s\n", p, n / (k * 0.1) }' /tmp/ticks
	echo "JITMARK end $phase"
done
kill "$pid"
