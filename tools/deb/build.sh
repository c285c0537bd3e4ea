#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh (`make deb`): assemble a Debian source tree of racetrap in
# build/deb/src/racetrap-VERSION (the sources the packages need, debian/
# from tools/deb/debian, a changelog for this version), build the two
# binary packages with dpkg-buildpackage (debhelper, dh-dkms) and leave
# them in build/deb/: racetrap_VERSION_amd64.deb (tools, daemon, unit, man
# pages, example config) and racetrap-dkms_VERSION_all.deb (module source
# and dkms.conf).  Needs the `deb` group of tools/deps.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$("$top/tools/version.sh")
out=$top/build/deb
src=$out/src/racetrap-$version

rm -rf "$out"
mkdir -p "$src/tools"
# The sources the build reads; the tests, selftests and docs stay out.
cp -r "$top/Kbuild" "$top/Makefile" "$top/module" "$top/uapi" "$src/"
mkdir -p "$src/userspace"
cp -r "$top"/userspace/{Makefile,lib,racetrap,racetrapd,man} \
	"$top"/userspace/racetrapd.service "$top"/userspace/racetrapd.conf.example \
	"$src/userspace/"
cp "$top/tools/version.sh" "$src/tools/"
cp -r "$top/tools/deb" "$src/tools/"
echo "$version" >"$src/.version"
cp -r "$top/tools/deb/debian" "$src/debian"
cat >"$src/debian/changelog" <<CHANGES
racetrap ($version) unstable; urgency=medium

  * Built from the racetrap tree by make deb.

 -- racetrap authors <racetrap@lists.racetrap.org>  $(date -R)
CHANGES

(cd "$src" && dpkg-buildpackage -us -uc -b --no-sign) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "make deb: dpkg-buildpackage failed; whole log in $out/build.log" >&2
	exit 1
}
mv "$out"/src/*.deb "$out/"
rm -f "$out"/src/*.buildinfo "$out"/src/*.changes
ls "$out"/*.deb
