#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: build everything, run the host tests, then the selftests
# inside a VM on each supported kernel, and end with one line
# "N passed, N failed, N skipped" for the whole run.  Every stage prints
# KTAP; a stage that cannot run counts as a failure, never as silence.
#
# Environment: KERNELS (default "6.1 6.12"), SUITES (guest suites, default
# every suite that has tests), VM_TIMEOUT (seconds per boot, default 1200).
set -u
cd "$(dirname "$0")/.."
top=$PWD
logdir=$top/build/check
mkdir -p "$logdir"
rm -f "$logdir"/*.log
KERNELS=${KERNELS:-"6.1 6.12"}
VM_TIMEOUT=${VM_TIMEOUT:-1200}
start=$(date +%s)

# Run one stage: its output is shown and kept for counting.
stage() {
	local name=$1
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$logdir/$name.log"
	local rc=${PIPESTATUS[0]}
	# A stage that failed without printing a failing result still fails.
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$logdir/$name.log"; then
		printf 'KTAP version 1\n1..1\nnot ok 1 %s # exit status %s\n' \
			"$name" "$rc" >>"$logdir/$name.log"
		echo "not ok: $name exited with status $rc"
	fi
	return 0
}

# Build for the host and for each kernel (warnings are errors).
build_all() {
	local rc=0 k rel out
	echo "KTAP version 1"
	echo "1..$((2 + $(wc -w <<<"$KERNELS")))"
	if make -s userspace >"$logdir/build-userspace.out" 2>&1; then
		echo "ok 1 build_userspace"
	else
		cat "$logdir/build-userspace.out"; echo "not ok 1 build_userspace"; rc=1
	fi
	if make -s selftests >"$logdir/build-selftests.out" 2>&1; then
		echo "ok 2 build_selftests"
	else
		cat "$logdir/build-selftests.out"; echo "not ok 2 build_selftests"; rc=1
	fi
	local n=3
	for k in $KERNELS; do
		rel=$(tools/vm/kernel-release "$k") || { echo "not ok $n build_module_$k"; rc=1; n=$((n + 1)); continue; }
		out=$top/build/kmod/$rel
		if tools/vm/build-module "$rel" >"$logdir/build-module-$k.out" 2>&1; then
			echo "ok $n build_module_$k # $rel"
		else
			cat "$logdir/build-module-$k.out"
			echo "not ok $n build_module_$k # $rel"
			rc=1
		fi
		n=$((n + 1))
	done
	return $rc
}

guest_suites() {
	if [ -n "${SUITES:-}" ]; then
		echo "$SUITES"
		return
	fi
	# Every built suite except the host-only ones.
	ls -d build/selftests/*/ 2>/dev/null | xargs -n1 basename |
		grep -vxE 'rig|lib' | tr '\n' ' '
}

stage build build_all
[ -x userspace/tests/run ] &&
	stage host-userspace userspace/tests/run build/tests/userspace
stage host-lint tools/lint.sh
[ -x selftests/corpus/host/test_labels.sh ] &&
	stage host-corpus-labels selftests/corpus/host/test_labels.sh
suites=$(guest_suites)
for k in $KERNELS; do
	[ -x selftests/rig/test_rig.sh ] &&
		stage "rig-$k" selftests/rig/test_rig.sh "$k"
	stage "vm-$k" tools/vm/run --kernel "$k" --timeout "$VM_TIMEOUT" \
		-- /selftests/run $suites
done

read -r passed failed skipped < <(cat "$logdir"/*.log | awk -f tools/ktap-summary.awk)
echo "=== make check took $(( $(date +%s) - start )) s; logs in build/check/"
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then
	echo "no test ran: counting that as a failure"
	failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
