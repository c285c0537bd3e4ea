# SPDX-License-Identifier: GPL-2.0
#
# sweep.awk: the plot's data from the guest's "BENCH ..." lines: one row
# per --clock-period, "PERIOD_US UNLIMITED_PCT DEFAULT_BUDGET_PCT" (median
# overhead of the pool workload in percent, "?" when missing), sorted.

function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function add(arr, key, val) {
	arr[key] = (key in arr) ? arr[key] " " val : val
}

$1 == "BENCH" && $2 == "tput" && $3 == "pool" && $4 == "base" { add(base, "pool", $6) }
$1 == "BENCH" && $2 == "sweep" { add(sweep, $3 SUBSEP $4, $6); periods[$4] = 1 }
$1 == "BENCH" && $2 == "sweepbase" { add(sweepbase, $3 SUBSEP $4, $6) }

END {
	if (!("pool" in base))
		exit
	b = median(base["pool"])
	n = 0
	for (p in periods)
		pl[++n] = p
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && pl[j - 1] + 0 > pl[j] + 0; j--) {
			t = pl[j]; pl[j] = pl[j - 1]; pl[j - 1] = t
		}
	for (i = 1; i <= n; i++) {
		row = pl[i]
		split("1000000 10000", bl, " ")
		for (k = 1; k <= 2; k++) {
			key = bl[k] SUBSEP pl[i]
			kb = (key in sweepbase) ? median(sweepbase[key]) : b
			row = row " " ((key in sweep) ? sprintf("%.2f", 100 * (kb - median(sweep[key])) / kb) : "?")
		}
		print row
	}
}
