#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boot Debian's kernel in a VM with racetrap.ko loaded, run a
# racy service (tools/demo/bank.c, an unmodified -O2 binary) and show its
# race reports, first from `racetrap run`, then from racetrapd in syslog.
#   DEMO_KERNEL=6.1 make demo     to use the other kernel
set -eu
cd "$(dirname "$0")/.."
kernel=${DEMO_KERNEL:-6.12}
mkdir -p build/demo
gcc -O2 -g -fno-omit-frame-pointer -pthread -Wall -Wextra -Werror \
	-o build/demo/bank tools/demo/bank.c
exec tools/vm/run --kernel "$kernel" --timeout 300 \
	--add build/demo/bank:/usr/bin/bank \
	--add tools/demo/guest.sh:/tmp/demo.sh -- sh /tmp/demo.sh
