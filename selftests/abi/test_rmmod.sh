#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module unloads cleanly, the device goes with it, the kernel log stays
# clean, and it loads again.  Loaded with its defaults, it starts no kernel
# thread while nothing is attached (the rig's pin_perf_hooks=1 does).
# Runs last in the abi suite, and leaves the module loaded as the rig
# loaded it, for the suites after it.
KO=/lib/racetrap/racetrap.ko
P=/sys/module/racetrap/parameters
rig_params=$(cat /lib/racetrap/params 2>/dev/null)
n=0
fails=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

echo "KTAP version 1"
echo "1..12"
# The rig loaded the module with the pin: its thread proves this test can
# see one.
grep -qx racetrap_pin /proc/[0-9]*/comm 2>/dev/null
check $? rig_pin_thread_seen
dmesg -c >/dev/null
rmmod racetrap
check $? rmmod_succeeds
[ ! -e /dev/racetrap ]
check $? device_removed
grep -qw racetrap /proc/modules && r=1 || r=0
check $r module_gone
dmesg | grep -E 'BUG:|WARNING:|Oops|refcount_t:|list_del corruption' && r=1 || r=0
check $r kernel_log_clean
insmod $KO && [ -c /dev/racetrap ]
check $? reinsmod_succeeds
grep -qx racetrap_pin /proc/[0-9]*/comm 2>/dev/null && r=1 || r=0
check $r idle_module_starts_no_thread
[ "$(cat $P/emulated_cost_div)" = 1 ]
check $? default_cost_div_is_1
[ "$(cat $P/tcg_store_check)" = N ]
check $? default_tcg_store_check_off
[ "$(cat $P/pin_fork_probe)" = N ]
check $? default_pin_fork_probe_off
# Out of range (0 would divide by zero): refused, value kept.
! (echo 0 >$P/emulated_cost_div) 2>/dev/null && [ "$(cat $P/emulated_cost_div)" = 1 ]
check $? cost_div_0_refused
# shellcheck disable=SC2086 # $rig_params: one word per parameter
rmmod racetrap && insmod $KO $rig_params
check $? reloaded_as_the_rig_loaded_it
[ $fails = 0 ]
