#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Reproducer for hardware, not a test (the selftest runner runs only
# test_*): racetrap's site trigger must never sleep between a uprobe's int3
# and the out-of-line step of the probed instruction, or a thread scheduled
# out there comes back past the kernel's rseq fix-up with its ip in the XOL
# slot, and per-CPU data kept with restartable sequences loses updates
# (Documentation/engine.rst, "Site sampling").  churn_rseq_undeclared
# keeps per-CPU counters with rseq in four threads and checks at the end
# that none was lost; its critical section's descriptor is not in
# __rseq_cs, so racetrap does not know it and probes it like any code; racetrap samples it with the site trigger alone at --budget 100%,
# so windows open all the time.
#
# It reloads the module without the rig's xol_guard, as a real host runs
# it: the guard's wait before a step is such a sleep.  Under QEMU's TCG
# that livelocks the guest (a watchpoint firing in a single-stepped
# instruction makes TCG deliver #DB at the kernel's #DB entry, over and
# over: Documentation/testing.rst), so run it on hardware or a KVM guest:
#   sudo KO=racetrap.ko RSEQ_FIX=build/selftests/churn/churn_rseq_undeclared \
#     sh selftests/userspace/repro_rseq.sh
. "$(dirname "$0")/ktap.sh"
KO=${KO:-/lib/racetrap/racetrap.ko}
rig_params=$(cat /lib/racetrap/params 2>/dev/null)
out=/tmp/rseq.out
rt=/tmp/rseq.rt

ktap_plan 5

# shellcheck disable=SC2046 # one word per parameter
{ rmmod racetrap 2>/dev/null; true; } && insmod $KO $(echo "$rig_params" | sed 's/xol_guard=[^ ]*//')
check $? loaded_without_xol_guard

${RSEQ_FIX:-$(dirname "$0")/../churn/churn_rseq_undeclared} 25 >$out 2>&1 &
pid=$!
sleep 1
racetrap attach --triggers site --budget 100% --duration 20 $pid >$rt 2>&1
check $? attach_exits_0
wait $pid
rc=$?
[ $rc = 0 ]
check $? rseq_per_cpu_counters_intact
diag "churn_rseq exit $rc: $(cat $out)"
# Site samples were taken, or the test proved nothing.
taken=$(sed -n 's/.*: \([0-9][0-9]*\) samples\{0,1\} taken.*/\1/p' $rt | tail -n 1)
[ "${taken:-0}" -gt 0 ]
check $? site_samples_taken
diag "racetrap: $(tail -n 3 $rt)"

# shellcheck disable=SC2086 # one word per parameter
rmmod racetrap && insmod $KO $rig_params
check $? reloaded_as_the_rig_loaded_it
ktap_done
