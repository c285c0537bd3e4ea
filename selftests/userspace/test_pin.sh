#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A site table pins its file's mount, not only its inode.  A filesystem
# lazily unmounted (umount -l) under an attached target is shut down when
# the last user lets go: the target's exit must not leave racetrap holding
# an inode of a dead filesystem ("VFS: Busy inodes after unmount"), and
# the tables must go when the attachment ends.
. "$(dirname "$0")/ktap.sh"
mnt=/tmp/pin.mnt
out=/tmp/pin.out

ktap_plan 5

mkdir -p $mnt && mount -t tmpfs pin $mnt && cp $FIX/fix_racy $mnt/
check $? fixture_on_tmpfs
dmesg -c >/dev/null
$mnt/fix_racy 600 >/dev/null &
pid=$!
sleep 1
racetrap attach --duration 20 $pid >$out 2>&1 &
apid=$!
# Until racetrap has decoded the program and handed the kernel its table.
wait_for "attached to pid $pid" $out 120
check $? attached
diag "$(head -n 3 $out)"
umount -l $mnt
check $? lazily_unmounted
# The target's exit drops its own references to the mount: only
# racetrap's tables hold it now, until the attachment ends.
kill -9 $pid
wait $pid 2>/dev/null
wait $apid
check $? attach_ends_with_the_target
sleep 1
dmesg | grep -E 'Busy inodes|BUG:|WARNING:|Oops' && r=1 || r=0
check $r no_busy_inodes_after_unmount
rmdir $mnt 2>/dev/null
ktap_done
