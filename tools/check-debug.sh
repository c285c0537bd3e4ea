#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: build the debug kernel (tools/vm/debug-kernel: KASAN,
# lockdep, kmemleak, DEBUG_ATOMIC_SLEEP, UBSAN; cached in build/), boot it
# with tools/vm/run --kernel debug, run every guest selftest there, then
# the soak in a boot of its own after them, and beside both the ABI
# fuzzer for a million calls, and end with "N passed, N failed, N
# skipped".  Any kernel
# report (a KASAN, lockdep, atomic-sleep or UBSAN splat, a leak kmemleak
# lists at the end of a boot) fails the run: tools/vm/verdict.  Too slow
# for `make check`; run it before an issue is resolved and record the
# result in Documentation/testing.rst ("The debug kernel").
#
# Environment: SUITES (guest suites, default every suite that has tests),
# VM_TIMEOUT (seconds per boot, default 14400), FUZZ_CALLS (default
# 1000000), SOAK_MINUTES (default 30).
set -u
cd "$(dirname "$0")/.." || exit 1
top=$PWD
logdir=$top/build/check-debug
mkdir -p "$logdir"
rm -f "$logdir"/*.log "$logdir"/*.out
VM_TIMEOUT=${VM_TIMEOUT:-14400}
FUZZ_CALLS=${FUZZ_CALLS:-1000000}
SOAK_MINUTES=${SOAK_MINUTES:-30}
start=$(date +%s)

. "$top/tools/stages.sh"

ktap_step() {
	local name=$1
	shift
	echo "KTAP version 1"
	echo "1..1"
	if "$@"; then
		echo "ok 1 $name"
	else
		echo "not ok 1 $name"
		return 1
	fi
}

guest_suites() {
	if [ -n "${SUITES:-}" ]; then
		echo "$SUITES"
		return
	fi
	find build/selftests -mindepth 1 -maxdepth 1 -type d -printf '%f\n' \
		2>/dev/null | sort | grep -vxE 'rig|lib' | tr '\n' ' '
}

debug_opts=(--kernel debug --tcg-threads single --timeout "$VM_TIMEOUT")
vm_debug() {
	tools/vm/run "${debug_opts[@]}" "$@"
}

# The fuzzer's million calls and the soak run in boots of their own (the
# selftests' final_* tests leave the kernel changed); both print KTAP.
fuzz() {
	vm_debug -- sh -c "cd /selftests && ./abi/test_fuzz 14400 $FUZZ_CALLS"
}

soak() {
	vm_debug -- /selftests/soak/soak.sh "$SOAK_MINUTES"
}

stage deps ktap_step deps tools/deps.sh check debug
stage build ktap_step build make -s userspace selftests
stage debug-kernel ktap_step debug_kernel tools/vm/debug-kernel
suites=$(guest_suites)
# Two lines of boots, one host core each (single-threaded TCG), as make
# check runs its two kernels: the suites' boot and then the soak's, and
# beside them the fuzzer's, the longest; their output is shown once both
# are done.
{
	# shellcheck disable=SC2086 # $suites: one argument each
	stage vm-debug tools/vm/suites "${debug_opts[@]}" -- $suites
	stage soak soak
} >"$logdir/suites-soak.out" 2>&1 &
suites_pid=$!
stage fuzz fuzz >"$logdir/fuzz.out" 2>&1
wait "$suites_pid"
cat "$logdir/suites-soak.out" "$logdir/fuzz.out"

stages_summary "make check-debug"
