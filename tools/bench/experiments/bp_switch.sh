#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bp_switch.sh [REPS [ROUNDS]]: what an armed execute breakpoint costs a
# thread at each context switch, on this machine (not in the VM).
# Builds bp_switch.c, runs its three modes REPS times (default 20) in
# turn, ROUNDS round trips each (default 20000), and prints each mode's
# mean time per round trip, then the extra cost per context switch of
# modes 1 (execute breakpoint) and 2 (software perf event) over mode 0,
# each as a mean with a 95% Student t interval over the REPS
# alternations (each rep's difference against the mode-0 run beside
# it).  Results: Documentation/benchmarks.rst, "Context switches of a
# thread holding a breakpoint".
set -euo pipefail
here=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
reps=${1:-20}
rounds=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc -std=gnu11 -O2 -pthread -Wall -Wextra -Werror -o "$work/bp_switch" \
	"$here/bp_switch.c"
echo "# $(date -u '+%Y-%m-%d %H:%M') UTC, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, virt: $(systemd-detect-virt 2>/dev/null || echo unknown), reps=$reps rounds=$rounds"
for ((r = 1; r <= reps; r++)); do
	for m in 0 1 2; do
		echo "rep $r $("$work/bp_switch" "$rounds" "$m")"
	done
done | tee "$work/lines"
# t quantiles, 97.5%, for 1..30 degrees of freedom (then 1.96).
awk '
BEGIN {
	split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 " \
	      "2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086 " \
	      "2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045 2.042", tq)
}
$1 == "rep" { ns[$2, $3] = $4; sw[$2, $3] = $5; if ($2 > n) n = $2 }
END {
	for (m = 0; m <= 2; m++) {
		s = 0; w = 0
		for (r = 1; r <= n; r++) { s += ns[r, m]; w += sw[r, m] }
		printf "mode %d: %.0f ns per round trip, %.2f context switches per round trip\n", m, s / n, w / n
	}
	for (m = 1; m <= 2; m++) {
		s = 0; ss = 0
		for (r = 1; r <= n; r++) {
			# extra ns per switch of this mode over mode 0, this rep
			d[r] = (ns[r, m] - ns[r, 0]) / sw[r, m]
			s += d[r]
		}
		mean = s / n
		for (r = 1; r <= n; r++) ss += (d[r] - mean) ^ 2
		sd = n > 1 ? sqrt(ss / (n - 1)) : 0
		t = n - 1 <= 30 ? tq[n - 1] : 1.96
		half = n > 1 ? t * sd / sqrt(n) : 0
		printf "mode %d over mode 0: %+.0f ns per context switch [%+.0f, %+.0f] (95%%, %d reps)\n", \
			m, mean, mean - half, mean + half, n
	}
}' "$work/lines"
