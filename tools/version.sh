#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# version.sh: racetrap's release, the one place every build takes it from
# (the module's MODULE_VERSION, `racetrap --version`, `racetrapd --version`,
# the .debs and the DKMS tree).  In order:
#   1. a .version file at the top of the tree: what `make deb` and
#      `make install` write into the source trees they export, so a copy
#      without git (the DKMS tree, a tarball) keeps the release it was cut at;
#   2. `git describe` of a vX.Y.Z tag, "X.Y.Z" or "X.Y.Z+N.gHASH" past it;
#   3. RELEASE below, with "+gitN.HASH" (N commits) in a git tree without
#      tags, so later commits sort later.
RELEASE=0.1.0

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -s "$top/.version" ]; then
	cat "$top/.version"
	exit 0
fi
if d=$(git -C "$top" describe --tags --match 'v[0-9]*' 2>/dev/null); then
	# v1.2.3-4-gabc -> 1.2.3+4.gabc: Debian sorts it after 1.2.3.
	echo "$d" | sed -e 's/^v//' -e 's/-\([0-9]*\)-g/+\1.g/'
	exit 0
fi
if h=$(git -C "$top" rev-parse --short=12 HEAD 2>/dev/null); then
	echo "$RELEASE+git$(git -C "$top" rev-list --count HEAD).$h"
	exit 0
fi
echo "$RELEASE"
