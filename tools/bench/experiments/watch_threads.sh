#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# watch_threads.sh [RUNS]: what capping a window's threads costs in
# detection, on racy_pool (32 sleeping workers, the partner woken inside
# the window).  RUNS runs of 30 s under `racetrap run` at the default
# --watch-threads and with every thread armed (65536); per run: reports,
# seconds from launch to the first, samples.  Inside the test VM:
#   gcc -O2 -g -pthread -o /tmp/pool/racy_pool racy_pool.c
#   cp watch_threads.sh /tmp/pool/
#   tools/vm/run --kernel 6.12 --tcg-threads single --add /tmp/pool:/pool \
#     -- sh /pool/watch_threads.sh 10
# Results: Documentation/benchmarks.rst, "Cost per window with
# --watch-threads".
n=${1:-10}
bin=$(dirname "$0")/racy_pool
up() { cut -d" " -f1 /proc/uptime; }
for wt in auto 65536; do
	i=0
	while [ "$i" -lt "$n" ]; do
		i=$((i + 1))
		rm -f /tmp/p.out
		start=$(up)
		first=-
		racetrap run --watch-threads "$wt" -- "$bin" 30 >/tmp/p.out 2>&1 &
		rp=$!
		while kill -0 "$rp" 2>/dev/null; do
			if [ "$first" = - ] && grep -q "DATA RACE" /tmp/p.out 2>/dev/null; then
				first=$(awk -v a="$start" -v b="$(up)" 'BEGIN { print b - a }')
			fi
			sleep 0.2
		done
		wait "$rp"
		r=$(grep -c "DATA RACE" /tmp/p.out)
		w=$(sed -n 's/.*pid [0-9]*: \([0-9]*\) samples\{0,1\} taken.*/\1/p' /tmp/p.out | tail -n 1)
		echo "POOL $wt run $i reports $r first_s $first samples $w"
	done
done
