#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# aim_yield.sh [ROUNDS]: what the clock trigger's aims yield on the
# race-free per-request Go programs.  Each round runs each program under
# racetrap run --budget 100% (so the triggers, not the budget, limit
# sampling) and prints one "AIMY PROGRAM" line of counters from
# racetrap status --json, read 15 s in.  For an A/B, boot two builds
# side by side, one VM per host core:
#   tools/vm/run --kernel 6.12 --tcg-threads single \
#     --add tools/bench/experiments/aim_yield.sh:/aim_yield.sh \
#     -- /aim_yield.sh 3
# Results: Documentation/engine.rst, "Clock sampling".
n=${1:-3}
keys='samples_per_s|samples_site|samples_clock|clock_ticks|clock_misses'
keys="$keys|clock_aims|clock_aims_up|clock_aims_missed"
cd /selftests/corpus || exit 1
i=0
while [ "$i" -lt "$n" ]; do
	for p in go_free_reqloopvar go_free_reqstats go_free_reqmap; do
		racetrap run --budget 100% -- "./$p" 17 >/tmp/aim_yield.out 2>&1 &
		sleep 15
		counters=$(racetrap status --json | tr -d '\n ' |
			grep -oE "\"($keys)\":[0-9.]+" | tr -d '"' | tr '\n' ' ')
		echo "AIMY $p $counters"
		wait
	done
	i=$((i + 1))
done
