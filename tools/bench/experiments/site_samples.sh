#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# site_samples.sh PROG IP ROUNDS [racetrap options]: how often racetrap
# samples one instruction of a held-out program.  Runs /heldout/PROG
# (tools/bench/experiments/heldout, built into build/heldout/out) ROUNDS
# times under racetrap run --duration 20, with the racetrap_sample and
# racetrap_hit tracepoints on, and prints per run one line:
#   TR round=N reports=R samples=S at_ip=A at_ip_site=B hits=H hits_at=K
# (S: samples drawn in all; A: of them at IP, B: by the site trigger; H:
# traps; K: traps naming IP).  IP is the racy instruction's address, from
# objdump -dl on the host.  For an A/B, boot two builds side by side:
#   tools/vm/run --kernel 6.12 --tcg-threads single \
#     --add build/heldout/out:/heldout \
#     --add tools/bench/experiments/site_samples.sh:/site_samples.sh \
#     -- /site_samples.sh go_racy_hrlock 0x48522d 8
# Results: Documentation/engine.rst, "Site sampling" (sites that ran).
p=$1; ip=$2; r=$3; shift 3
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo 16384 > $T/buffer_size_kb
for e in racetrap_sample racetrap_hit; do
	echo 1 > $T/events/racetrap/$e/enable
done
i=0
while [ "$i" -lt "$r" ]; do
	echo > $T/trace
	racetrap run --duration 20 "$@" -- "/heldout/$p" 22 > /tmp/out.$$ 2>&1
	rep=$(grep -c 'WARNING: DATA RACE' /tmp/out.$$)
	grep 'racetrap_sample:' $T/trace > /tmp/samples.$$
	all=$(wc -l < /tmp/samples.$$)
	at=$(grep -c "ip=$ip " /tmp/samples.$$)
	site=$(grep "ip=$ip " /tmp/samples.$$ | grep -c trigger=site)
	hits=$(grep -c 'racetrap_hit:' $T/trace)
	hat=$(grep 'racetrap_hit:' $T/trace | grep -c "$ip")
	echo "TR round=$i reports=$rep samples=$all at_ip=$at" \
		"at_ip_site=$site hits=$hits hits_at=$hat"
	i=$((i + 1))
done
rm -f /tmp/out.$$ /tmp/samples.$$
