#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-debs.sh: `make check`'s package stage.  Builds both .debs
# (tools/deb/build.sh) and checks, in KTAP: each package's files are
# exactly tools/deb/PACKAGE.files (the DKMS package's module sources are
# the tree's module/*.[ch]); dkms.conf names this release; the programs in
# the package print it with --version; lintian reports nothing (each
# override in tools/deb/debian/*.lintian-overrides says why).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
version=$(tools/version.sh)
out=build/deb
# check STATUS NAME, diag TEXT..., ktap_plan N, ktap_done
. "$top/selftests/userspace/ktap.sh"

# The package's regular files and links, one path a line, sorted.
contents() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sort
}

expected() {
	local pkg=$1
	sed -e "s/@VERSION@/$version/" tools/deb/"$pkg".files |
		while read -r line; do
			if [ "$line" = @MODULE_SOURCES@ ]; then
				(cd module && ls -- *.c *.h) |
					sed "s|^|./usr/src/racetrap-$version/module/|"
			else
				echo "$line"
			fi
		done | sort
}

ktap_plan 6
tools/deb/build.sh >"$top/build/deb-build.out" 2>&1
rc=$?
[ $rc = 0 ] || diag "$(tail -n 20 build/deb-build.out)"
check $rc make_deb_builds_both_packages

for pkg in racetrap racetrap-dkms; do
	arch=amd64
	[ "$pkg" = racetrap-dkms ] && arch=all
	deb=$out/${pkg}_${version}_$arch.deb
	if [ ! -f "$deb" ]; then
		diag "$deb missing"
		check 1 "${pkg}_files"
		continue
	fi
	d=$(diff <(expected "$pkg") <(contents "$deb"))
	[ -z "$d" ] || diag "want <, have >:" "$d"
	check "$([ -z "$d" ] && echo 0 || echo 1)" "${pkg}_files"
done

deb=$out/racetrap-dkms_${version}_all.deb
conf=$(dpkg-deb --fsys-tarfile "$deb" 2>/dev/null |
	tar -xO "./usr/src/racetrap-$version/dkms.conf" 2>/dev/null)
echo "$conf" | grep -qx "PACKAGE_VERSION=\"$version\"" &&
	echo "$conf" | grep -qx 'BUILT_MODULE_NAME\[0\]="racetrap"'
check $? dkms_conf_names_this_release

# The packaged programs, run from an unpacked copy.
tmp=$(mktemp -d)
dpkg-deb -x "$out/racetrap_${version}_amd64.deb" "$tmp" 2>/dev/null
v1=$("$tmp/usr/sbin/racetrap" --version 2>&1)
v2=$("$tmp/usr/sbin/racetrapd" --version 2>&1)
rm -rf "$tmp"
diag "$v1" "$v2"
case "$v1$v2" in
"racetrap $version (ABI version "*"racetrapd $version (ABI version "*) rc=0 ;;
*) rc=1 ;;
esac
check $rc packaged_programs_print_the_release

l=$(lintian "$out"/*.deb 2>&1 | grep -v '^running with root privileges')
[ -z "$l" ] || diag "$l"
check "$([ -z "$l" ] && echo 0 || echo 1)" lintian_clean
ktap_done
