#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Reproducer, not a test (the selftest runner runs only test_*): racetrap's
# site trigger sleeps in the uprobe handler, between the int3 and the
# out-of-line step, and a thread scheduled out there inside a restartable
# sequence comes back past the kernel's rseq fixup, so per-CPU data loses
# updates (Documentation/testing.rst, "Restartable sequences under the
# site trigger").  fix_rseq keeps per-CPU counters with rseq in four
# threads and checks at the end that none was lost; racetrap samples it
# with the site trigger alone at --budget 100%.  Fails while the problem
# stands; becomes test_rseq.sh once it is fixed.
#   tools/vm/run -- /selftests/userspace/repro_rseq.sh
. "$(dirname "$0")/ktap.sh"
out=/tmp/rseq.out
rt=/tmp/rseq.rt

ktap_plan 2

$FIX/fix_rseq 30 >$out 2>&1 &
pid=$!
sleep 1
racetrap attach --triggers site --budget 100% --duration 25 $pid >$rt 2>&1 &
apid=$!
wait $apid
check $? attach_exits_0
wait $pid
rc=$?
[ $rc = 0 ]
check $? rseq_per_cpu_counters_intact
diag "fix_rseq exit $rc: $(cat $out)"
diag "racetrap: $(tail -n 3 $rt)"
ktap_done
