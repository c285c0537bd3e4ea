#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the VM: a racy service caught twice, once by
# `racetrap run` printing to the terminal, once by racetrapd attached to
# the running service by pid, its report landing in syslog.
set -u
step() { printf '\n\033[1m### %s\033[0m\n' "$*"; }

step "racetrap.ko is loaded and /dev/racetrap answers"
grep '^racetrap ' /proc/modules
ls -l /dev/racetrap
racetrap status

step "racetrap run -- bank 12   (sampled from its first instruction)"
racetrap run --duration 12 -- bank 12

step "racetrapd attached by pid to a running bank service; reports go to syslog"
bank 60 >/tmp/bank.out 2>&1 &
bank=$!
sleep 1
racetrapd --pid "$bank" &
daemon=$!
i=0
while [ $i -lt 45 ] && ! grep -q 'WARNING: DATA RACE' /var/log/messages; do
	sleep 1
	i=$((i + 1))
done
racetrap status
kill -TERM "$daemon"
wait "$daemon"
kill "$bank"
wait "$bank" 2>/dev/null

step "what racetrapd wrote to syslog (/var/log/messages)"
grep racetrapd /var/log/messages
grep -q 'WARNING: DATA RACE' /var/log/messages
