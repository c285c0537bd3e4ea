#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test_rig.sh [6.1|6.12|RELEASE]: host-side self-test of the QEMU rig,
# tools/vm/run, for one kernel (default 6.1).  Boots seven VMs: the module
# loads, exit statuses pass through, a kernel WARN fails the run, a hung
# command times out, text that only looks like a kernel error does not
# fail the run, a process left holding /dev/racetrap does not keep the
# module from unloading, and a module that does not load is exit 125.
# The verdict rules are also checked on canned console logs, and
# tools/vm/suites' second boot after a QEMU crash with a stand-in runner.
# Prints KTAP.  Host only: the copy selftests/Makefile puts in the guest
# skips itself (hence POSIX sh: the guest has no bash).
set -u

here=$(cd "$(dirname -- "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
run=$top/tools/vm/run
verdict=$top/tools/vm/verdict

echo "KTAP version 1"
if [ ! -x "$run" ]; then
	echo "1..0 # SKIP host-only test: no tools/vm/run here"
	exit 0
fi
kernel=${1:-6.1}
if ! release=$("$top/tools/vm/kernel-release" "$kernel" 2>&1); then
	echo "Bail out! $release"
	exit 1
fi
echo "1..32"
echo "# rig test for $release"

work=$top/build/rig/$release
mkdir -p "$work"
out=$work/stdout
err=$work/stderr

n=0
failed_count=0
ok() {
	n=$((n + 1))
	echo "ok $n $1"
}
not_ok() {
	n=$((n + 1))
	failed_count=$((failed_count + 1))
	echo "not ok $n $1"
}
diag_tail() {
	for diag_file in "$@"; do
		[ -s "$diag_file" ] &&
			tail -n 15 "$diag_file" | sed "s|^|# ${diag_file##*/}: |"
	done
	return 0
}

# vm ARGS...: one tools/vm/run; sets $rc and $secs (wall clock, builds
# included), and prints the VM's own time from the verdict line.  Only the
# first run builds userspace and selftests: the rest test the rig, not them.
vm() {
	start=$(date +%s)
	"$run" --kernel "$kernel" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
	secs=$(($(date +%s) - start))
	vmsecs=$(sed -n 's/.*(VM ran \([0-9.]*\) s;.*/\1/p' "$err" | tail -n 1)
	echo "# tools/vm/run $*: exit $rc, ${secs} s total, VM ${vmsecs:-?} s"
}

# check NAME CONDITION...: ok if the shell condition holds, else not ok
# with the run's output as diagnostics.
check() {
	check_name=$1
	shift
	if eval "$*"; then
		ok "$check_name"
	else
		echo "# failed: $(printf '%s' "$*" | tr -s '\n\t' '  ')"
		diag_tail "$out" "$err"
		not_ok "$check_name"
	fi
}

vm -- cat /proc/modules
check "loads_racetrap" '[ $rc = 0 ] &&
	grep -q "racetrap: loaded" "$out" &&
	grep -q "^racetrap " "$out" &&
	grep -q "^tools/vm/run: .*: exit status 0 " "$err"'

vm --no-build -- sh -c 'exit 7'
check "passes_exit_status" '[ $rc = 7 ]'

# The kernel half of the rig's promise: a WARN anywhere fails the run.
warn_dir=$work/warn_module
mkdir -p "$warn_dir"
cp -p "$here/warn_module/Kbuild" "$here/warn_module/warn.c" "$warn_dir/"
if make -C "/lib/modules/$release/build" M="$warn_dir" modules \
	>"$work/warn_build.log" 2>&1; then
	vm --no-build --add "$warn_dir/warn.ko:/root/warn.ko" -- insmod /root/warn.ko
	check "fails_on_kernel_warning" '[ $rc != 0 ] &&
		grep -Eq "^tools/vm/run: .*kernel error: \[ *[0-9.]+\] WARNING: .*warn" "$err"'
else
	echo "# building warn.ko failed"
	diag_tail "$work/warn_build.log"
	not_ok "fails_on_kernel_warning"
fi

# Killed at 20 s, long before the command's 1000 s: the bound is loose,
# for a boot on a crowded host takes longer (42 s once beside three other
# emulators, where 40 was asked).
vm --no-build --timeout 20 -- sleep 1000
check "times_out" '[ $rc = 124 ] && [ $secs -lt 300 ] &&
	grep -q "timed out after 20 s" "$err"'

vm --no-build -- sh -c 'echo "WARNING: DATA RACE"; echo "BUG: foo"'
check "ignores_lookalike_output" '[ $rc = 0 ] &&
	grep -q "^WARNING: DATA RACE" "$out" && grep -q "^BUG: foo" "$out"'

# The guest ends leftover processes before rmmod; the module's use count
# of 1 shows the leftover really held /dev/racetrap.
vm --no-build -- sh -c 'sleep 1000 </dev/racetrap & sleep 0.5; cat /proc/modules'
check "unloads_despite_leftover_process" '[ $rc = 0 ] &&
	grep -Eq "^racetrap [0-9]+ 1 " "$out"'

# A module that does not load is exit status 125, never a pass: replace
# racetrap.ko in the guest (the per-run archive unpacks last) with junk.
echo "not a module" >"$work/junk.ko"
vm --no-build --add "$work/junk.ko:/lib/racetrap/racetrap.ko" -- true
check "reports_failed_load" '[ $rc = 125 ] &&
	grep -q "racetrap.ko did not load" "$err"'

# The verdict rules on canned logs: no VM needed.
canned=$work/canned.log
# shellcheck disable=SC2034 # vrc is read by check's eval
# $verdict_opts: options for the verdict, split on purpose.
verdict_opts=
judge() {
	printf '%s\n' "$@" >"$canned"
	vrc=0
	# shellcheck disable=SC2086
	"$verdict" $verdict_opts "$canned" >"$out" 2>&1 || vrc=$?
}
judge "[    1.000000] racetrap: loaded" "racetrap-vm: exit status 3"
check "verdict_exit_status" '[ $vrc = 3 ]'
judge "[    1.000000] BUG: kernel NULL pointer dereference" \
	"racetrap-vm: exit status 0"
check "verdict_kernel_bug" '[ $vrc = 1 ]'
judge "[   12.500000] INFO: task a.out:80 blocked for more than 30 seconds." \
	"racetrap-vm: exit status 0"
check "verdict_hung_task" '[ $vrc = 1 ]'
judge "[    1.000000] racetrap: loaded" "BUG: only the program said this" \
	"racetrap-vm: exit status 0"
check "verdict_user_lookalike" '[ $vrc = 0 ]'
judge "progress without a newline[    2.000000] BUG: unable to handle page fault" \
	"racetrap-vm: exit status 0"
check "verdict_printk_mid_line" '[ $vrc = 1 ]'
judge "[    1.000000] racetrap: loaded"
check "verdict_no_status" '[ $vrc = 1 ]'
judge "racetrap-vm: exit status 0" "racetrap-vm: rmmod racetrap failed"
check "verdict_rmmod_failed" '[ $vrc = 1 ]'
# The debug kernel's checkers (make check-debug), as they print.
judge "[   30.100000] BUG: KASAN: slab-use-after-free in tracer_put+0x1c/0x90 [racetrap]" \
	"racetrap-vm: exit status 0"
check "verdict_kasan" '[ $vrc = 1 ]'
judge "[   30.100000] WARNING: possible circular locking dependency detected" \
	"racetrap-vm: exit status 0"
check "verdict_lockdep" '[ $vrc = 1 ]'
judge "[   30.100000] BUG: sleeping function called from invalid context at mm/slub.c:4117" \
	"racetrap-vm: exit status 0"
check "verdict_atomic_sleep" '[ $vrc = 1 ]'
judge "[   30.100000] UBSAN: shift-out-of-bounds in module/sites.c:120:9" \
	"racetrap-vm: exit status 0"
check "verdict_ubsan" '[ $vrc = 1 ]'
judge "racetrap-vm: kmemleak: 0 suspects from boot set aside" \
	"racetrap-vm: exit status 0" \
	"racetrap-vm: kmemleak: unreferenced object 0xffff888004a1c000 (size 4096):" \
	'racetrap-vm: kmemleak:   comm "insmod", pid 90, jiffies 4294893456' \
	"racetrap-vm: kmemleak: scanned"
check "verdict_kmemleak_leak" '[ $vrc = 1 ]'
judge "racetrap-vm: kmemleak: 3 suspects from boot set aside" \
	"racetrap-vm: exit status 0" "racetrap-vm: kmemleak: scanned"
check "verdict_kmemleak_clean" '[ $vrc = 0 ]'
judge "[    9.000000] kmemleak: Kernel memory leak detector disabled" \
	"racetrap-vm: exit status 0"
check "verdict_kmemleak_disabled" '[ $vrc = 1 ]'
judge "[ 1510.012244] uprobe: test_fuzz:4813 failed to unregister, leaking uprobe" \
	"racetrap-vm: exit status 0"
check "verdict_uprobe_leak" '[ $vrc = 1 ]'

# QEMU TCG's nested #DB (tools/vm/verdict): only that splat is set aside.
nested_db() {
	printf '%s\n' \
		"[ 1084.612070] ------------[ cut here ]------------" \
		"[ 1084.615352] WARNING: CPU: 0 PID: 26788 at arch/x86/kernel/traps.c:1120 exc_debug_kernel+0x92/0x100" \
		"[ 1084.629055]  <#DB>" \
		"[ 1084.629584] RIP: 0010:$1" \
		"[ 1084.630961] WARNING: stack going in the wrong direction? at asm_exc_page_fault+0x30/0x30" \
		"[ 1084.631123]  </#DB>" \
		"[ 1084.631172] WARNING: stack recursion on stack type 7" \
		"[ 1084.632634] ---[ end trace 0000000000000000 ]---"
}
judge "$(nested_db asm_exc_debug+0x0/0x40)" "racetrap-vm: exit status 0"
check "verdict_tcg_nested_db_set_aside" '[ $vrc = 0 ]'
judge "$(nested_db exc_debug_user+0x10/0x40)" "racetrap-vm: exit status 0"
check "verdict_other_db_warning" '[ $vrc = 1 ]'
judge "$(nested_db asm_exc_debug+0x0/0x40)" \
	"[ 1090.000000] WARNING: CPU: 1 PID: 80 at module/watch.c:99 racetrap_watch+0x1/0x2" \
	"racetrap-vm: exit status 0"
check "verdict_nested_db_then_warning" '[ $vrc = 1 ]'
judge "$(nested_db asm_exc_debug+0x0/0x40 |
	sed '3a[ 1084.629000] BUG: KASAN: slab-use-after-free in tracer_put+0x1c/0x90')" \
	"racetrap-vm: exit status 0"
check "verdict_error_inside_nested_db" '[ $vrc = 1 ]'

# QEMU's own crash: exit 123, unless the guest's kernel said why first.
verdict_opts="--emulator-signal 11"
judge "[    1.000000] racetrap: loaded"
check "verdict_emulator_crash" '[ $vrc = 123 ] &&
	grep -q "QEMU itself died of signal 11 (SEGV)" "$out"'
judge "[    1.000000] BUG: kernel NULL pointer dereference"
check "verdict_kernel_error_before_emulator_crash" '[ $vrc = 1 ]'
verdict_opts=

# tools/vm/suites against a stand-in for tools/vm/run that runs the tests
# s/test_a and s/test_b, and dies in s/test_b (exit 123 and the
# verdict's line) in its first FAKE_CRASHES boots.
fake=$work/fake-run
cat >"$fake" <<'FAKE'
#!/bin/sh
n=$(($(cat "$FAKE_STATE" 2>/dev/null || echo 0) + 1))
echo "$n" >"$FAKE_STATE"
echo "$*" >>"$FAKE_STATE.args"
case " $* " in
*" --after s/test_a "*) ;;
*)	echo "# selftest: s/test_a"
	echo "${FAKE_A:-ok} 1 a"
	echo "# selftest: s/test_a took 1 s" ;;
esac
echo "# selftest: s/test_b"
if [ "$n" -le "$FAKE_CRASHES" ]; then
	echo "ok 1 b_partial"
	echo "tools/vm/run: 6.1: QEMU itself died of signal 11 (SEGV): an emulator crash, not the guest's" >&2
	exit 123
fi
echo "ok 1 b"
echo "# selftest: s/test_b took 1 s"
[ "${FAKE_A:-ok}" = ok ]
FAKE
chmod +x "$fake"
state=$work/fake-state
# suites CRASHES [FAKE_A]: one tools/vm/suites run; sets $src and $boots.
suites() {
	rm -f "$state" "$state.args"
	src=0
	FAKE_CRASHES=$1 FAKE_A=${2:-ok} FAKE_STATE=$state VM_RUN=$fake \
		"$top/tools/vm/suites" --kernel "$kernel" -- s >"$out" 2>&1 ||
		src=$?
	boots=$(cat "$state")
}
suites 0
check "suites_one_boot" '[ $src = 0 ] && [ $boots = 1 ] &&
	grep -q "^ok 1 b$" "$out"'
suites 1
check "suites_resume_after_emulator_crash" '[ $src = 0 ] && [ $boots = 2 ] &&
	[ "$(grep -c "^ok 1 a$" "$out")" = 1 ] && grep -q "^ok 1 b$" "$out" &&
	! grep -q b_partial "$out" &&
	tail -n 1 "$state.args" | grep -q -- "-- /selftests/run --after s/test_a s$"'
suites 2
check "suites_second_crash_fails" '[ $src = 123 ] && [ $boots = 2 ] &&
	grep -q "QEMU crashed again" "$out"'
suites 1 "not ok"
check "suites_keep_first_boot_failure" '[ $src = 1 ] && [ $boots = 2 ] &&
	grep -q "^not ok 1 a$" "$out"'

echo "# Totals: pass:$((n - failed_count)) fail:$failed_count"
[ "$failed_count" = 0 ]
