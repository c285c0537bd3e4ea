#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bp_cost.sh [--vm 6.1|6.12] switch|page [REPS [COUNT]]: what an armed
# execute breakpoint that never fires costs, measured without racetrap on
# this machine or, with --vm, in the test VM under single-threaded TCG.
#   switch  bp_switch.c: two threads ping-pong over pipes, COUNT round
#           trips (default 20000); modes 0 nothing armed, 1 an execute
#           breakpoint in each thread, 2 a software perf event in each.
#           Prints the extra ns per context switch of modes 1 and 2.
#   page    bp_page.c: one thread runs a register-only loop, COUNT
#           iterations (default 100000000; 3000000 is enough in the VM);
#           modes 0 nothing armed, 1 an execute breakpoint in the loop's
#           page, 2 one in another page.  Prints modes 1 and 2's time as a
#           ratio of mode 0's.
# Each mode runs REPS times (default 20), alternated, and each rep is
# compared with the mode-0 run beside it (paired_t.awk: mean, 95% Student
# t interval).  Results: Documentation/benchmarks.rst, "Context switches
# of a thread holding a breakpoint" and "What an execute breakpoint costs
# the code beside it".
set -euo pipefail
here=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
prog=${0##*/}

usage() {
	echo "usage: $prog [--vm 6.1|6.12] switch|page [REPS [COUNT]]" >&2
	exit 2
}

vm=
if [[ ${1:-} == --vm ]]; then
	[[ $# -ge 2 ]] || usage
	vm=$2
	shift 2
fi
case ${1:-} in
switch) count=20000 awkvars=(-v stat=per -v label="ns per round trip"
	-v perlabel="context switches per round trip"
	-v dlabel="ns per context switch") ;;
page) count=100000000 awkvars=(-v stat=ratio -v label="ns per iteration") ;;
*) usage ;;
esac
what=$1
reps=${2:-20}
count=${3:-$count}
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "$prog: REPS '$reps' is not a positive count" >&2; exit 2; }
[[ $count =~ ^[1-9][0-9]*$ ]] || { echo "$prog: COUNT '$count' is not a positive count" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/bin"
cc -std=gnu11 -O2 -pthread -Wall -Wextra -Werror -o "$work/bin/bp_$what" \
	"$here/bp_$what.c"
# The loop, the same on the host and in the guest (busybox sh there).
cat >"$work/bin/loop" <<LOOP
#!/bin/sh
r=1
while [ \$r -le $reps ]; do
	for m in 0 1 2; do
		echo "rep \$r \$(\${0%/*}/bp_$what $count \$m)"
	done
	r=\$((r + 1))
done
LOOP
chmod +x "$work/bin/loop"

if [[ -n $vm ]]; then
	echo "# $(date -u '+%Y-%m-%d %H:%M') UTC, guest $vm under QEMU TCG (single-threaded) on $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $what reps=$reps count=$count"
	"$top/tools/vm/run" --kernel "$vm" --tcg-threads single \
		--timeout 3000 --add "$work/bin:/bp_cost" -- /bp_cost/loop |
		grep '^rep ' | tr -d '\r' | tee "$work/lines"
else
	echo "# $(date -u '+%Y-%m-%d %H:%M') UTC, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, virt: $(systemd-detect-virt 2>/dev/null || echo unknown), $what reps=$reps count=$count"
	"$work/bin/loop" | tee "$work/lines"
fi
awk "${awkvars[@]}" -f "$here/paired_t.awk" "$work/lines"
