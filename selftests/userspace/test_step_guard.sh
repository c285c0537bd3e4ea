#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The rig's xol_guard (module/step_guard.c): no thread single-steps a
# uprobe while watched, even when it takes longer from the handler to the
# step than its stepper mark lasts (20 ms).  The uprobe core can take
# that long there under the emulator (it takes the int3 out of the text),
# and a step that ran watched gave QEMU TCG's nested #DB, a kernel
# WARNING in exc_debug, and then a livelocked VM (which the rig reports).
# The test parameter prestep_delay_ms holds every probe hit 30 ms in its
# handler, so every step comes after its mark lapsed, with 50 ms windows
# open back to back on fix_racy's one shared word.  Then: no such
# warning, the fixture runs to its end, and the site trigger still
# reports the race.
. "$(dirname "$0")/ktap.sh"
P=/sys/module/racetrap/parameters
out=/tmp/step_guard.out
err=/tmp/step_guard.err
step_warning='WARNING: CPU: [0-9]* PID: [0-9]* at arch/x86/kernel/traps.c'

ktap_plan 3

if [ "$(cat $P/xol_guard 2>/dev/null)" != Y ]; then
	skip_rest "module loaded without the rig's xol_guard"
	ktap_done
	exit
fi

# The kernel prints that warning once per boot (WARN_ON_ONCE).
earlier=$(dmesg | grep -c "$step_warning")
trap 'echo 0 >$P/prestep_delay_ms' EXIT
echo "racetrap-test: test_step_guard starts" >/dev/kmsg
echo 30 >$P/prestep_delay_ms
racetrap run --triggers site --budget 100% --window 50000 \
	--exit-code 0 -- $FIX/fix_racy 10 >$out 2>$err
rc=$?
echo 0 >$P/prestep_delay_ms

if [ "$earlier" != 0 ]; then
	skip no_step_ran_watched "the kernel already printed its one exc_debug warning this boot"
else
	dmesg | sed -n '/racetrap-test: test_step_guard starts/,$p' |
		grep -q "$step_warning"
	[ $? = 1 ]
	check $? no_step_ran_watched
fi

[ $rc = 0 ] && grep -q 'fix_racy: done' $out
check $? fixture_ran_to_its_end
diag "exit status $rc; $(tail -n 3 $err)"

grep -q 'WARNING: DATA RACE' $out
check $? race_still_reported
diag "$(grep -E 'samples taken|summary for' $out $err)"

ktap_done
