# SPDX-License-Identifier: GPL-2.0
#
# report.awk: bench/results.md from the guest's "BENCH ..." lines (see
# guest.sh).  Medians are computed here; -v date, host and vmstatus come
# from tools/bench/run.  Plain POSIX awk (Debian's default is mawk).

function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	if (n == 0)
		return ""
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function maxof(list,    v, n, i, m) {
	n = split(list, v, " ")
	m = v[1]
	for (i = 2; i <= n; i++)
		if (v[i] + 0 > m + 0)
			m = v[i]
	return m
}

function count(list,    v) {
	return split(list, v, " ")
}

function add(arr, key, val) {
	arr[key] = (key in arr) ? arr[key] " " val : val
}

function rest(from,    s, i) {
	s = $from
	for (i = from + 1; i <= NF; i++)
		s = s " " $i
	return s
}

# A tool's throughput against the baseline: the ratio, and for racetrap
# the overhead in percent, for the others how many times slower.
function cell(w, col,    b, t, s) {
	if ((w SUBSEP col) in na && !((w SUBSEP col) in tput))
		return "n/a (" na[w, col] ")"
	if (!((w SUBSEP col) in tput) || !((w SUBSEP "base") in tput))
		return "n/a (not run)"
	b = median(tput[w, "base"]); t = median(tput[w, col])
	if (b <= 0 || t <= 0)
		return "n/a (no throughput)"
	if (col == "racetrap")
		s = sprintf("%.3f (overhead %+.1f%%); paired runs %s", t / b, 100 * (b - t) / b, paired(w))
	else
		s = sprintf("%.3f (%.1fx slower)", t / b, b / t)
	return s failures(w, col)
}

# Runs of a column that failed while others measured: said, not hidden.
function failures(w, col) {
	if (!((w SUBSEP col) in na))
		return ""
	return sprintf("; **%d of %d runs failed**: %s", nfail[w, col],
		nfail[w, col] + count(tput[w, col]), na[w, col])
}

# Each racetrap run against the unattached run just before it: host
# drift moves both alike, so these ratios scatter less than the medians.
function paired(w,    i, s, l) {
	s = ""; l = ""
	for (i = 1; (w SUBSEP "base" SUBSEP i) in run; i++)
		if ((w SUBSEP "racetrap" SUBSEP i) in run && run[w, "base", i] > 0) {
			s = s sprintf("%s%.2f", s == "" ? "" : " ", run[w, "racetrap", i] / run[w, "base", i])
			l = l " " run[w, "racetrap", i] / run[w, "base", i]
		}
	if (s == "")
		return "n/a"
	return s sprintf(" (median %.2f)", median(l))
}

function target(w,    b, t, limit, o) {
	limit = w == "pool" ? 1 : 3
	if (!((w SUBSEP "racetrap") in tput) || !((w SUBSEP "base") in tput))
		return "-"
	b = median(tput[w, "base"]); t = median(tput[w, "racetrap"])
	o = 100 * (b - t) / b
	if ((w SUBSEP "racetrap") in na)
		return sprintf("<= %d%%: **missed** (runs failed)", limit)
	return sprintf("<= %d%%: %s", limit, o <= limit ? "met" : "**missed**")
}

function detcell(p, tool,    l, n, s, found, i, med) {
	if (!((p SUBSEP tool) in det))
		return "n/a"
	n = split(det[p, tool], l, " ")
	s = ""
	found = 0
	for (i = 1; i <= n; i++)
		if (l[i] + 0 > 0 || l[i] == "0.00") {
			s = s " " l[i]
			found++
		}
	if (!found)
		return sprintf("not found in %d s (0/%d)", timeout, n)
	med = median(s)
	return sprintf("%.1f s / %.1f s (%d/%d)", med, maxof(s), found, n)
}

$1 != "BENCH" { next }
$2 == "tput" { add(tput, $3 SUBSEP $4, $6); run[$3, $4, $5] = $6; order[$3] = 1; next }
$2 == "na" {
	if (!(($3 SUBSEP $4) in na))
		na[$3, $4] = rest(5)
	nfail[$3, $4]++; order[$3] = 1; next
}
$2 == "sweep" { add(sweep, $3 SUBSEP $4, $6); budgets[$3] = 1; periods[$4] = 1; next }
$2 == "sweepbase" { add(sweepbase, $3 SUBSEP $4, $6); next }
$2 == "trig" { add(trig, $3 SUBSEP $4, $6); next }
$2 == "trigbase" { add(trigbase, $3 SUBSEP $4, $6); next }
$2 == "detect" {
	if (!($3 in progs))
		plist_d[++nprogs] = $3
	add(det, $3 SUBSEP $4, $6); progs[$3] = 1; next
}
$2 == "mem" { mem[$3] = $4; next }
$2 == "info" { info[$3] = rest(4); next }

END {
	timeout = 60
	partial = vmstatus != 0
	for (w in order)
		if ((w SUBSEP "racetrap") in na || !((w SUBSEP "racetrap") in tput))
			partial = 1
	print "# racetrap benchmark results"
	print ""
	printf "Measured %s by `make bench` (tools/bench/run) on a %s.  ", date, host
	printf "Guest: Debian kernel %s under QEMU TCG (%s-threaded) with %s vCPUs (%s).  ", info["kernel"], tcg == "" ? "multi" : tcg, info["cpus"], info["settings"]
	print "TCG emulates every instruction and makes traps, stalls and context switches far dearer than on hardware: these are not bare-metal numbers.  Method and reasoning: Documentation/benchmarks.rst."
	print ""
	if (partial)
		print "**PARTIAL**: some columns could not run (see n/a cells), or the VM run did not finish cleanly (exit status " vmstatus ")."
	print ""
	print "## Throughput: tool / unattached, median of runs"
	print ""
	print "Ratio of median throughputs (1.000 = no cost).  racetrap: `racetrap attach PID` at default settings; TSan: `gcc -fsanitize=thread`; Go -race: `go build -race`; Helgrind: `valgrind --tool=helgrind`."
	print ""
	print "| workload | unattached (median) | racetrap attach | target | TSan | Go -race | Helgrind |"
	print "|---|---|---|---|---|---|---|"
	nw = split("pool spawn threads256 goroutines", ws, " ")
	unit["pool"] = "ops/s"; unit["spawn"] = "threads/s"
	unit["threads256"] = "ops/s"; unit["goroutines"] = "ops/s"
	for (k = 1; k <= nw; k++) {
		w = ws[k]
		if (!(w in order))
			continue
		b = ((w SUBSEP "base") in tput) ? sprintf("%.0f %s (%d runs)", median(tput[w, "base"]), unit[w], count(tput[w, "base"])) : "n/a"
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", w, b,
			cell(w, "racetrap"), target(w), cell(w, "tsan"),
			cell(w, "gorace"), cell(w, "helgrind")
	}
	print ""
	print "## Overhead against sampling rate (pool workload)"
	print ""
	nb = 0
	for (bu in budgets)
		nb++
	if (!nb) {
		print "n/a (racetrap was not available)"
	} else {
		print "Overhead = 1 - racetrap/unattached median throughput, at each `--clock-period` (cpu-clock samples every N us on each CPU, kept when they land in the target) with the other settings at their defaults, each point against unattached runs of its own made just before it.  Plot: [overhead.png](overhead.png)."
		print ""
		print "| --clock-period (us) | --budget 100% (unlimited) | --budget 1% (default) |"
		print "|---|---|---|"
		base = median(tput["pool", "base"])
		np = 0
		for (p in periods)
			plist[++np] = p
		for (i = 2; i <= np; i++)
			for (j = i; j > 1 && plist[j - 1] + 0 > plist[j] + 0; j--) {
				t = plist[j]; plist[j] = plist[j - 1]; plist[j - 1] = t
			}
		for (i = 1; i <= np; i++) {
			p = plist[i]
			printf "| %s |", p
			split("1000000 10000", bl, " ")
			for (j = 1; j <= 2; j++) {
				key = bl[j] SUBSEP p
				b = key in sweepbase ? median(sweepbase[key]) : base
				if (key in sweep && b > 0)
					printf " %+.1f%% |", 100 * (b - median(sweep[key])) / b
				else
					printf " n/a |"
			}
			print ""
		}
	}
	print ""
	print "## Cost of each trigger alone (default rates)"
	print ""
	if (!(("pool" SUBSEP "site") in trig) && !(("pool" SUBSEP "clock") in trig)) {
		print "n/a (not run)."
	} else {
		print "Overhead with `--triggers site` (a site breakpoint in each of up to 16 threads, redrawn every 100 ms) or `--triggers clock` (one sample per 10 ms of each thread's CPU time), each against unattached runs made just before it; `default` is the racetrap column above: both triggers, or the clock trigger alone on a Go target (racetrap's default there since 2026-12-02)."
		print ""
		print "| workload | site only | clock only | default |"
		print "|---|---|---|---|"
		ntw = split("pool spawn threads256 goroutines", tw, " ")
		for (k = 1; k <= ntw; k++) {
			w = tw[k]
			b = median(tput[w, "base"])
			printf "| %s |", w
			split("site clock", tl, " ")
			for (j = 1; j <= 2; j++)
				if ((w SUBSEP tl[j]) in trig && b > 0) {
					tb = (w SUBSEP tl[j]) in trigbase ? median(trigbase[w, tl[j]]) : b
					printf " %+.1f%% |", 100 * (tb - median(trig[w, tl[j]])) / tb
				}
				else
					printf " n/a |"
			if ((w SUBSEP "racetrap") in tput && b > 0)
				printf " %+.1f%% |\n", 100 * (b - median(tput[w, "racetrap"])) / b
			else
				print " n/a |"
		}
	}
	print ""
	print "## Detection: seconds to the first report, median / worst (found/runs)"
	print ""
	if (!nprogs) {
		print "n/a (" (("detect_na" in info) ? info["detect_na"] : "no racy corpus program ran") ")."
	} else {
		missed = 0; ran = 0
		for (i = 1; i <= nprogs; i++) {
			p = plist_d[i]
			if (!((p SUBSEP "racetrap") in det))
				continue
			ran++
			n = split(det[p, "racetrap"], l, " ")
			for (k = 1; k <= n; k++)
				if (!(l[k] + 0 > 0))
					{ missed++; break }
		}
		printf "Target: every racy corpus program found by `racetrap run` (default settings) within %d s in every run: ", timeout
		if (!ran)
			print "n/a (racetrap did not run)."
		else if (missed)
			printf "**missed** (%d of %d programs had a run without a report).\n", missed, ran
		else
			printf "met (%d programs).\n", ran
		print ""
		print "| program | racetrap run | TSan | Go -race |"
		print "|---|---|---|---|"
		for (i = 1; i <= nprogs; i++) {
			p = plist_d[i]
			printf "| %s | %s | %s | %s |\n", p, detcell(p, "racetrap"),
				detcell(p, "tsan"), detcell(p, "gorace")
		}
	}
	print ""
	print "## Memory"
	print ""
	if ("mem_na" in info || !("procs_kernel" in mem)) {
		print "n/a (" (("mem_na" in info) ? info["mem_na"] : "not measured") ")."
	} else {
		n = info["mem_procs"]
		print "Kernel = change of Slab + VmallocUsed + KernelStack + PageTables in /proc/meminfo; all = drop of MemAvailable less the racetrap CLIs' own RssAnon and VmPTE.  Both include the kernel objects of the racetrap CLI process itself (task, mm, files), so per-process figures are upper bounds; per-thread figures subtract a 1-thread from a 256-thread attachment, so the CLI cancels out."
		print ""
		print "| quantity | kernel (KiB) | all (KiB) |"
		print "|---|---|---|"
		printf "| per attached process (%d idle 1-thread processes) | %.0f | %.0f |\n", n, mem["procs_kernel"] / n, mem["procs_avail"] / n
		printf "| per attached thread ((256 - 1 thread) / 255) | %.1f | %.1f |\n", (mem["threads256_kernel"] - mem["one_thread_kernel"]) / 255, (mem["threads256_avail"] - mem["one_thread_avail"]) / 255
		print ""
		print "Target's own memory over 5 s of running the pool workload (Rss and Pss from /proc/PID/smaps_rollup), unattached and attached:"
		print ""
		print "| | ΔRss (KiB) | ΔPss (KiB) |"
		print "|---|---|---|"
		printf "| unattached | %d | %d |\n", mem["target_base_rss"], mem["target_base_pss"]
		printf "| racetrap attach | %d | %d |\n", mem["target_racetrap_rss"], mem["target_racetrap_pss"]
		if (info["target_maps"] != "")
			print "\nMappings that appeared in the target while attached (racetrap maps none of its own): `" info["target_maps"] "`."
	}
}
