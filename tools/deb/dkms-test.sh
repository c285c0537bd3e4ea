#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-test.sh (`make dkms-test`, and a stage of `make check`): unpack
# racetrap-dkms from build/deb into a scratch directory and let DKMS add
# and build it there (its own --dkmstree/--sourcetree: nothing on the host
# changes but the signing key DKMS makes once in /var/lib/dkms) for
# every kernel in /lib/modules that has headers, as the
# package's postinst does on a real host; then check each racetrap.ko
# says this release in modinfo and is built for that kernel.  KTAP;
# a minute or more per kernel, so it is its own target, not in make check
# (Documentation/testing.rst records its last result).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$("$top/tools/version.sh")
deb=$top/build/deb/racetrap-dkms_${version}_all.deb
kernels=$(for b in /lib/modules/*/build; do
	[ -e "$b/Makefile" ] && basename "$(dirname "$b")"
done)
nr=$(echo "$kernels" | wc -w)

echo "KTAP version 1"
echo "1..$((nr + 1))"
if ! command -v dkms >/dev/null || [ ! -f "$deb" ]; then
	echo "# dkms not installed or $deb missing (run make deb)"
	echo "not ok 1 dkms_add"
	exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch/root"
tree=(--dkmstree "$scratch/dkms" --sourcetree "$scratch/root/usr/src")
mkdir -p "$scratch/dkms"
n=1 fails=0
if dkms add -m racetrap -v "$version" "${tree[@]}" >"$scratch/add.log" 2>&1; then
	echo "ok 1 dkms_add"
else
	sed 's/^/# /' "$scratch/add.log"
	echo "not ok 1 dkms_add"
	exit 1
fi
for k in $kernels; do
	n=$((n + 1))
	if dkms build -m racetrap -v "$version" -k "$k" "${tree[@]}" \
		>"$scratch/build.log" 2>&1 &&
	   # racetrap.ko, or .ko.xz where the kernel compresses modules.
	   ko=$(ls "$scratch/dkms/racetrap/$version/$k"/x86_64/module/racetrap.ko*) &&
	   [ "$(modinfo -F version "$ko" 2>/dev/null)" = "$version" ] &&
	   [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k" ]; then
		echo "ok $n dkms_builds_racetrap_ko_for_$k"
	else
		tail -n 30 "$scratch/build.log" | sed 's/^/# /'
		find "$scratch/dkms" -name '*.log' -exec tail -n 30 {} + 2>/dev/null | sed 's/^/# /'
		echo "not ok $n dkms_builds_racetrap_ko_for_$k"
		fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ]
