#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: build everything, run the host tests, then the selftests
# inside a VM on each supported kernel, and end with one line
# "N passed, N failed, N skipped" for the whole run.  Every stage prints
# KTAP; a stage that cannot run counts as a failure, never as silence.
#
# Environment: KERNELS (default "6.1 6.12"), SUITES (guest suites, default
# every suite that has tests), VM_TIMEOUT (seconds per boot, default 1500).
set -u
cd "$(dirname "$0")/.." || exit 1
top=$PWD
logdir=$top/build/check
mkdir -p "$logdir"
rm -f "$logdir"/*.log
KERNELS=${KERNELS:-"6.1 6.12"}
VM_TIMEOUT=${VM_TIMEOUT:-1500}
start=$(date +%s)

. "$top/tools/stages.sh"

# Build for the host; tools/vm/run builds the module for each kernel (its
# warnings are errors there) and fails the VM stage if that does not work.
build_all() {
	local rc=0 n=0 what
	echo "KTAP version 1"
	echo "1..2"
	for what in userspace selftests; do
		n=$((n + 1))
		if make -s "$what" >"$logdir/build-$what.out" 2>&1; then
			echo "ok $n build_$what"
		else
			sed 's/^/# /' "$logdir/build-$what.out"
			echo "not ok $n build_$what"
			rc=1
		fi
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
# The .debs: built with debhelper, their file lists and lintian checked.
# (DKMS building them for both kernels is `make dkms-test`: minutes.)
stage host-deb tools/deb/check-debs.sh
[ -x selftests/corpus/host/test_labels.sh ] &&
	stage host-corpus-labels selftests/corpus/host/test_labels.sh
suites=$(guest_suites)
# The rig's own tests judge tools/vm/run, which works the same for every
# kernel: one kernel is enough, and saves minutes of boots.
rig_kernel=${KERNELS%% *}
[ -x selftests/rig/test_rig.sh ] &&
	stage "rig-$rig_kernel" selftests/rig/test_rig.sh "$rig_kernel"
# The guest selftests, one VM per kernel, side by side.  Each VM runs both
# its vCPUs in one host thread (single-threaded TCG): QEMU's
# multi-threaded TCG corrupts code patched while it runs, as the kernel's
# own int3 text patching does (Documentation/testing.rst).  The site
# trigger's uprobes, whose out-of-line copies made Go targets crash at
# random that way (tools/vm/uprobe-xol-repro), are gone; the kernel's
# patching is not.  One host core per VM also lets both kernels' VMs
# share a 2-core machine.  Should QEMU itself crash, tools/vm/suites boots
# once more for the tests it had not finished.  Their output is shown
# whole, one VM after the other, once both are done.
vm_pids=()
for k in $KERNELS; do
	# shellcheck disable=SC2086 # $suites: one argument each
	stage "vm-$k" tools/vm/suites --kernel "$k" --tcg-threads single \
		--timeout "$VM_TIMEOUT" -- $suites \
		>"$logdir/vm-$k.out" 2>&1 &
	vm_pids+=($!)
done
wait "${vm_pids[@]}"
for k in $KERNELS; do
	cat "$logdir/vm-$k.out"
done

stages_summary "make check"
