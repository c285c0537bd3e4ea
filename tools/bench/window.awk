# SPDX-License-Identifier: GPL-2.0
#
# window.awk: the "window" part of `make bench` (guest.sh) as a table,
# what a window costs the engine at each thread count.  Input: raw.txt's
# "BENCH window THREADS NAME VALUE" lines (racetrap status counters).
#
# Engine time per window is what the sampled thread spent on the window
# besides being held (arming, disarming, reading the value, reporting):
# the budget's charge less the stall, the bound charged for the other
# threads, the bounds for traps and ticks, and probe rotation.
$1 == "BENCH" && $2 == "window" {
	if (!($3 in seen)) {
		seen[$3] = 1
		order[++n] = $3
	}
	v[$3, $4] = $5
}

END {
	if (!n)
		exit
	print ""
	print "### Cost per window against the thread count"
	print ""
	print "threads256 with N threads, 2 of them working and the rest waiting,"
	print "attached with `--budget 100%` (no limit) and the `--watch-threads`"
	print "shown (no effect since windows arm one breakpoint per CPU);"
	print "differences of the racetrap session's counters over the seconds"
	print "covered."
	print ""
	print "| threads | watch-threads | seconds | samples/s | windows/s | CPUs armed per window | engine time per window | held per window |"
	print "|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= n; i++) {
		k = order[i]
		# THREADS:WATCH; raw files from before the option have THREADS.
		nthr = k
		wt = "all"
		if (split(k, kw, ":") == 2) {
			nthr = kw[1]
			wt = kw[2]
		}
		s = v[k, "covered_s"]
		w = v[k, "watches"]
		if (s <= 0 || w <= 0) {
			printf "| %s | %s | %s | - | no window | - | - | - |\n", nthr, wt, s + 0
			continue
		}
		own = v[k, "cost_ns"] - v[k, "cost_others_ns"] - v[k, "cost_bound_ns"] - \
		      v[k, "cost_rotate_ns"] - v[k, "stall_ns"]
		printf "| %s | %s | %d | %.1f | %.1f | %.1f | %.0f us | %.0f us |\n", nthr, wt, s,
		       (v[k, "samples_site"] + v[k, "samples_clock"]) / s, w / s,
		       v[k, "watched_cpus"] / w, own / w / 1000,
		       v[k, "stall_ns"] / w / 1000
	}
}
