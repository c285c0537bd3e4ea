#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-tree.sh DEST: write the module's source as DKMS builds it into DEST
# (/usr/src/racetrap-VERSION): Kbuild, module/, uapi/, the version script
# with the release frozen in .version, and dkms.conf.  Used by
# `make install` and by the racetrap-dkms package.
set -eu
dest=${1:?usage: dkms-tree.sh DEST}
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$("$top/tools/version.sh")

mkdir -p "$dest/module" "$dest/uapi/linux" "$dest/tools"
cp "$top/Kbuild" "$dest/"
cp "$top"/module/*.c "$top"/module/*.h "$dest/module/"
cp "$top/uapi/linux/racetrap.h" "$dest/uapi/linux/"
cp "$top/tools/version.sh" "$dest/tools/"
echo "$version" >"$dest/.version"
sed "s/@VERSION@/$version/" "$top/tools/deb/dkms.conf.in" >"$dest/dkms.conf"
