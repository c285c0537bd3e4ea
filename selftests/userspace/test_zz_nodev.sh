#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Without the module, racetrap says to load it.  Runs last in the suite
# and loads the module again, with the parameters the rig gave it.
. "$(dirname "$0")/ktap.sh"
KO=/lib/racetrap/racetrap.ko
out=/tmp/nodev.out
# Loaded again as the rig loaded it (tools/vm/init), for what runs after.
rig_params=$(cat /lib/racetrap/params 2>/dev/null)

ktap_plan 4

rmmod racetrap
racetrap attach 1 >$out 2>&1
[ $? = 1 ] && grep -q '/dev/racetrap not found: load the module with `insmod racetrap.ko`' $out
check $? attach_without_module_says_insmod
diag "$(cat $out)"

racetrap run -- $FIX/fix_racefree 1 >$out 2>&1
[ $? = 1 ] && grep -q 'insmod' $out && ! grep -q 'fix_racefree:' $out
check $? run_without_module_fails_before_the_command_runs

racetrapd --stderr fix_racy >$out 2>&1
[ $? = 1 ] && grep -q '/dev/racetrap not found: load the module' $out
check $? racetrapd_without_module_says_insmod

# shellcheck disable=SC2086 # $rig_params: one word per parameter
insmod $KO $rig_params && [ -c /dev/racetrap ]
check $? module_loads_again

ktap_done
