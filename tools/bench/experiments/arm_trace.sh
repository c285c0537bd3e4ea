#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# arm_trace.sh [PROGRAM [SECONDS]]: where a window's arming and disarming
# time goes, in the guest.  Runs a corpus program (default
# go_racy_reqloopvar, 15 s) under `racetrap run` at default settings with
# the function_graph tracer on racetrap_watch_arm() and
# racetrap_watch_disarm(), and prints, per function down to perf's own
# calls, how many ran, their mean and a histogram of their durations.
# The tracer slows what it traces: compare shares, not absolute times.
#   tools/vm/run --kernel 6.12 --tcg-threads single \
#     --add tools/bench/experiments/arm_trace.sh:/arm_trace.sh \
#     -- /arm_trace.sh
# Results: Documentation/benchmarks.rst, "Where a window's arming goes".
prog=${1:-go_racy_reqloopvar}
secs=${2:-15}
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo 0 >$T/tracing_on
echo 20000 >$T/buffer_size_kb
echo function_graph >$T/current_tracer || exit 1
echo racetrap_watch_arm racetrap_watch_disarm >$T/set_graph_function ||
	exit 1
echo 4 >$T/max_graph_depth
echo funcgraph-tail >$T/trace_options
echo >$T/trace
echo 1 >$T/tracing_on
cd /selftests/corpus || exit 1
racetrap run -- "./$prog" "$secs" >/tmp/arm_trace.out 2>&1
echo 0 >$T/tracing_on
echo "$prog: $(grep -c 'DATA RACE' /tmp/arm_trace.out) reports"
# A closing line: "CPU) [flags] DURATION us | } /* FUNCTION */".
grep -E '/\* (racetrap_watch_arm|racetrap_watch_disarm|register_user_hw_breakpoint|unregister_hw_breakpoint|perf_event_release_kernel|perf_event_create_kernel_counter) ' $T/trace |
awk '{
	dur = ""
	for (i = 1; i <= NF; i++) {
		if ($i == "us")
			dur = $(i - 1)
		if ($i == "/*")
			fn = $(i + 1)
	}
	gsub(/[^0-9.]/, "", dur)
	if (dur == "")
		next
	d = dur + 0
	b = d < 300 ? 1 : d < 1000 ? 2 : d < 3000 ? 3 : 4
	n[fn]++
	s[fn] += d
	h[fn, b]++
	hs[fn, b] += d
}
END {
	split("<0.3 ms,0.3-1 ms,1-3 ms,>=3 ms", name, ",")
	for (f in n) {
		printf "%s: %d calls, mean %.0f us\n", f, n[f], s[f] / n[f]
		for (b = 1; b <= 4; b++)
			if (h[f, b])
				printf "  %-9s %5d calls, %3.0f%% of the time\n",
					name[b], h[f, b], 100 * hs[f, b] / s[f]
	}
}'
