#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The site trigger never runs anything of racetrap between a trap and a
# single-step (Documentation/engine.rst, "Site sampling"): its execute
# breakpoints stop a thread before the site and sample on the way back to
# user mode, with the thread's ip on the site, so the kernel's rseq fix-up
# still sees a critical section and aborts it.  churn_rseq_undeclared keeps
# per-CPU counters with rseq in four threads (more than the VM's CPUs) and
# checks at the end that none was lost; its critical section's descriptor
# is not in __rseq_cs, so racetrap does not know it and samples it like
# any code.  The site trigger alone at --budget 100% keeps windows open
# all the time.  Site samples must be taken, or the test proves nothing.
# racetrap run holds the program at its exec until the set-up is done, so
# it is sampled for its whole 20 s however long that takes.  Its per-CPU
# updates look like races to racetrap, which does not know the section:
# --exit-code 0 leaves the program's own status.
. "$(dirname "$0")/ktap.sh"
fix=${RSEQ_FIX:-$(dirname "$0")/../churn/churn_rseq_undeclared}
out=/tmp/rseq.out
rt=/tmp/rseq.rt

ktap_plan 3

racetrap run --triggers site --budget 100% --exit-code 0 -- $fix 20 >$out 2>$rt
rc=$?
grep -q 'racetrap: pid [0-9]*: ' $rt && grep -q '^churn_rseq: ' $out
check $? run_sampled_it_to_its_end
if [ $rc = 2 ]; then
	skip_rest "glibc registered no rseq area: $(cat $out $rt | grep churn_rseq)"
	ktap_done
	exit
fi
[ $rc = 0 ]
check $? rseq_per_cpu_counters_intact
diag "churn_rseq exit $rc: $(grep '^churn_rseq' $out)"
taken=$(sed -n 's/.*: \([0-9][0-9]*\) samples\{0,1\} taken.*/\1/p' $rt | tail -n 1)
[ "${taken:-0}" -gt 0 ]
check $? site_samples_taken
diag "racetrap: $(tail -n 3 $rt)"
ktap_done
