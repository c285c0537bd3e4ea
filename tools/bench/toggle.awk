# SPDX-License-Identifier: GPL-2.0
#
# toggle.awk: the toggled measurements' sections of bench/results.md, from
# the guest's "BENCH slice" and "BENCH stat" lines (tools/bench/toggle.sh).
# -v budgets: the --budget values in the order the guest used them.
# Plain POSIX awk (Debian's default is mawk).
#
# Every attached slice is paired with the mean of the detached slices just
# before and after it (one of them at the ends), which cancels a drift
# that is linear over the three slices; its overhead is 1 - attached /
# detached.  The interval is Student's t over those per-pair overheads:
# mean +- t(0.975, n-1) * sd / sqrt(n).  Pairs are close to independent
# because each has its own baseline; neighbouring pairs share one detached
# slice, which makes the interval somewhat narrower than it should be.

# Student's t, 97.5% quantile, for df degrees of freedom.
function t975(df) {
	if (df < 1) return 0
	if (df <= 30) return tq[df]
	if (df <= 40) return 2.021
	if (df <= 60) return 2.000
	if (df <= 120) return 1.980
	return 1.960
}

function setup_t(    v, i, n) {
	n = split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 " \
		"2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086 " \
		"2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045 2.042", v, " ")
	for (i = 1; i <= n; i++)
		tq[i] = v[i]
}

# Interval over the list "o1 o2 ..." into iv_mean, iv_lo, iv_hi, iv_n.
function interval(list,    v, n, i, s, ss, m, sd, h) {
	n = split(list, v, " ")
	iv_n = n
	if (n == 0) return 0
	s = 0
	for (i = 1; i <= n; i++) s += v[i]
	m = s / n
	ss = 0
	for (i = 1; i <= n; i++) ss += (v[i] - m) ^ 2
	sd = n > 1 ? sqrt(ss / (n - 1)) : 0
	h = n > 1 ? t975(n - 1) * sd / sqrt(n) : 0
	iv_mean = m; iv_lo = m - h; iv_hi = m + h
	return 1
}

function pct(x) {
	return sprintf("%+.1f%%", 100 * x)
}

function add(arr, key, val) {
	arr[key] = (key in arr) ? arr[key] " " val : val
}

# A budget such as "1%" or "10000" (ppm) as a fraction.
function fraction(b) {
	if (b ~ /%$/) return substr(b, 1, length(b) - 1) / 100
	return b / 1e6
}

BEGIN { setup_t() }

$1 == "BENCH" && $2 == "slice" {
	w = $3
	if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
	i = $4 + 0
	state[w, i] = $5; budget[w, i] = $6; rate[w, i] = $7; early[w, i] = $9
	secs[w, i] = $10
	if (i > last[w]) last[w] = i
}
$1 == "BENCH" && $2 == "info" && $3 == "toggle" {
	settings = $4; for (i = 5; i <= NF; i++) settings = settings " " $i
	if (match(settings, /drop=[0-9]+/)) drop = substr(settings, RSTART + 5, RLENGTH - 5)
}
$1 == "BENCH" && $2 == "info" && $3 == "calibrate" {
	calibrate = $4; for (i = 5; i <= NF; i++) calibrate = calibrate " " $i
}
$1 == "BENCH" && $2 == "stat" { stat[$3, $4, $5] += $6; hasstat[$3, $4] = 1 }
$1 == "BENCH" && $2 == "na" && $4 == "toggle" {
	w = $3
	if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
	s = $5; for (i = 6; i <= NF; i++) s = s " " $i
	na[w] = s
}

# The detached baseline around slice i of w: the mean of the nearest
# detached slice before it and after it (set-up and switch slices sit
# between).
function baseline(w, i, off,    s, k, j) {
	s = 0; k = 0
	for (j = i - 1; j >= i - 3; j--)
		if (((w SUBSEP j) in state) && state[w, j] == off) { s += rate[w, j]; k++; break }
	for (j = i + 1; j <= i + 3; j++)
		if (((w SUBSEP j) in state) && state[w, j] == off) { s += rate[w, j]; k++; break }
	return k ? s / k : 0
}

function collect(    w, j, i, b, base) {
	for (j = 1; j <= nw; j++) {
		w = order[j]
		for (i = 1; i <= last[w]; i++) {
			if (!((w SUBSEP i) in state)) continue
			if (state[w, i] == "att") {
				b = budget[w, i]
				base = baseline(w, i, "det")
				if (base <= 0) continue
				add(over, w SUBSEP b, 1 - rate[w, i] / base)
			} else if (state[w, i] == "setup") {
				b = budget[w, i]
				base = baseline(w, i, "det")
				if (base <= 0) continue
				add(eover, w SUBSEP b, 1 - rate[w, i] / base)
				add(esecs, w SUBSEP b, secs[w, i])
			} else if (state[w, i] == "loaded") {
				base = baseline(w, i, "unloaded")
				if (base > 0)
					add(over, w SUBSEP "idle", 1 - rate[w, i] / base)
			}
		}
	}
}

# The issue's targets: the budget itself on the pool and the servers,
# 3% on thread creation, 256 threads and Go.
function target(w) {
	return (w == "spawn" || w == "threads256" || w == "goroutines") ? 0.03 : fraction(first)
}

# Projection: per-event costs on hardware, in ns, from published
# measurements (sources in Documentation/benchmarks.rst, "Projection to
# bare metal").  A window stalls its thread: two context switches.
function setup_costs() {
	cost["WATCHES"] = 4000;		# 2 context switches, ~2 us each
	cost["WATCHED_CPUS"] = 2000;	# two IPIs: enable, disable a CPU's breakpoint
	cost["HITS"] = 1000;		# #DB exception round trip
	cost["HITS_ATOMIC"] = 1000
	cost["VALUE_CHANGES"] = 0
	cost["CLOCK_TICKS"] = 5000;	# timer interrupt, direct + indirect
	cost["SAMPLES_SITE"] = 1000;	# #DB of the site breakpoint
	cost["CLOCK_AIMS"] = 3000;	# IPI to arm + #DB when reached
	cost["PROBES_ARMED"] = 2000;	# IPI to arm a site breakpoint
	cost["BP_SWITCHES"] = 1000;	# perf's switch of a thread's breakpoint
	ncost = split("WATCHES WATCHED_CPUS HITS HITS_ATOMIC CLOCK_TICKS SAMPLES_SITE CLOCK_AIMS PROBES_ARMED BP_SWITCHES", cname, " ")
}

# A stat's value by its uapi name, whatever case the status file used.
function sv(w, b, name,    k) {
	k = w SUBSEP b SUBSEP name
	if (k in stat) return stat[k]
	k = w SUBSEP b SUBSEP tolower(name)
	return (k in stat) ? stat[k] : 0
}

END {
	nb = split(budgets, blist, " ")
	first = blist[1]
	collect()
	setup_costs()

	print ""
	print "## Overhead toggled inside one process (95% intervals)"
	print ""
	print "One long-running process per workload; `racetrap attach PID` attaches and detaches every slice (settings: " settings "), the servers attached by pid under their own load generators on 127.0.0.1 (memcached under `memcaslap`, redis-server under `redis-benchmark`).  Each attached slice (from racetrap's `attached` line, its first " drop " s left out) is compared with the mean of the detached slices around it; overhead = 1 - attached / detached throughput; the interval is a Student t interval over those pairs (method: Documentation/benchmarks.rst).  The last column is the set-up before `attached` (reading and decoding the target's code): its mean length and the overhead during it."
	if (calibrate != "")
		print "\nBefore the first attach, `racetrap calibrate --write` (as racetrapd.service runs it): " calibrate
	print ""
	printf "| workload | overhead at --budget %s, mean [95%% interval] | pairs | target | set-up after attach: seconds, overhead |\n", first
	print "|---|---|---|---|---|"
	for (j = 1; j <= nw; j++) {
		w = order[j]
		if (w == "pingpong") continue
		if (!((w SUBSEP first) in over)) {
			printf "| %s | n/a (%s) | 0 | | |\n", w, (w in na) ? na[w] : "not run"
			continue
		}
		interval(over[w, first])
		m = iv_mean; lo = iv_lo; hi = iv_hi; n = iv_n
		tg = target(w)
		verdict = n < 2 ? "n/a (one pair)" : (hi <= tg ? "<= " pct(tg) ": met" : "<= " pct(tg) ": **missed**")
		e = "n/a"
		if ((w SUBSEP first) in eover) {
			interval(esecs[w, first])
			e = sprintf("%.1f s, ", iv_mean)
			interval(eover[w, first])
			e = e sprintf("%s [%s, %s]", pct(iv_mean), pct(iv_lo), pct(iv_hi))
		}
		printf "| %s | %s [%s, %s] | %d | %s | %s |\n", w, pct(m), pct(lo), pct(hi), n, verdict, e
	}

	print ""
	print "## Overhead / budget"
	print ""
	print "Measured overhead divided by the configured budget, mean [95% interval]: at most 1 when the governor keeps its word."
	print ""
	hdr = "| workload |"; sep = "|---|"
	for (k = 1; k <= nb; k++) { hdr = hdr " --budget " blist[k] " |"; sep = sep "---|" }
	print hdr; print sep
	for (j = 1; j <= nw; j++) {
		w = order[j]
		if (w == "pingpong") continue
		line = "| " w " |"
		for (k = 1; k <= nb; k++) {
			b = blist[k]; f = fraction(b)
			if (!((w SUBSEP b) in over) || f <= 0) { line = line " n/a |"; continue }
			interval(over[w, b])
			line = line sprintf(" %.2f [%.2f, %.2f] (%d) |", iv_mean / f, iv_lo / f, iv_hi / f, iv_n)
		}
		print line
	}

	print ""
	print "## Loaded but detached"
	print ""
	if (("pingpong" SUBSEP "idle") in over) {
		interval(over["pingpong", "idle"])
		printf "racetrap.ko loaded without the rig's `pin_perf_hooks=1` against not loaded, on pingpong (two threads bouncing a byte over pipes: two context switches per round trip), alternating slices in one process: **%s [%s, %s]** over %d pairs; the interval %s 0.\n", \
			pct(iv_mean), pct(iv_lo), pct(iv_hi), iv_n, (iv_lo <= 0 && iv_hi >= 0) ? "includes" : "**does not include**"
	} else {
		print "Not run" (("pingpong" in na) ? " (" na["pingpong"] ")" : "") "."
	}

	print ""
	print "## Projection to bare metal (not a measurement)"
	print ""
	print "The engine's own counts over the attached slices at --budget " first ", per second of the target's CPU time, times a per-event cost on hardware taken from published measurements (Documentation/benchmarks.rst lists them); the stall and the charge for other threads are wall time that hardware does not shorten.  A projection: the VM figure beside it is the measurement."
	print ""
	print "| workload | windows/s | watched CPUs/s | hits/s | clock ticks/s | site samples/s | aims/s | site breakpoints/s | switches holding a breakpoint/s | projected overhead | VM: engine's cost / CPU | VM: CLI CPU / target CPU (with set-up) | VM: CLI CPU attached / target CPU | VM: measured |"
	print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for (j = 1; j <= nw; j++) {
		w = order[j]
		if (w == "pingpong" || !((w SUBSEP first) in hasstat)) continue
		cpu = sv(w, first, "cpu_s")
		if (cpu <= 0) continue
		proj = sv(w, first, "STALL_NS") + sv(w, first, "COST_OTHERS_NS")
		for (k = 1; k <= ncost; k++)
			proj += cost[cname[k]] * sv(w, first, cname[k])
		vm = sv(w, first, "COST_NS")
		meas = "n/a"
		if ((w SUBSEP first) in over) {
			interval(over[w, first])
			meas = pct(iv_mean)
		}
		printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %s | %s | %s | %s | %s |\n", w,
			sv(w, first, "WATCHES") / cpu, sv(w, first, "WATCHED_CPUS") / cpu,
			(sv(w, first, "HITS") + sv(w, first, "HITS_ATOMIC")) / cpu,
			sv(w, first, "CLOCK_TICKS") / cpu, sv(w, first, "SAMPLES_SITE") / cpu,
			sv(w, first, "CLOCK_AIMS") / cpu, sv(w, first, "PROBES_ARMED") / cpu,
			sv(w, first, "BP_SWITCHES") / cpu, pct(proj / (cpu * 1e9)), pct(vm / (cpu * 1e9)),
			pct(sv(w, first, "cli_cpu_s") / cpu),
			pct(sv(w, first, "cli_att_cpu_s") / cpu), meas
	}
}
