#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --no-tree -f on every kernel file, one KTAP result per file.
# checkpatch ships in Debian's linux-source-6.12 tarball, not in the
# headers: extract just scripts/ from it once, into build/checkpatch/.
set -u
cd "$(dirname "$0")/.."
dir=build/checkpatch
cp=$dir/scripts/checkpatch.pl
if [ ! -x "$cp" ]; then
	tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | tail -n1)
	if [ -z "$tarball" ]; then
		echo "lint: checkpatch not found: install linux-source-6.12 (tools/deps.sh lint)" >&2
		exit 1
	fi
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' || exit 1
fi
files=$(ls Kbuild module/*.[ch] uapi/linux/*.h 2>/dev/null | grep -v '^Kbuild$')
set -- $files
echo "KTAP version 1"
echo "1..$#"
n=0
rc=0
for f in "$@"; do
	n=$((n + 1))
	out=$(perl "$cp" --no-tree -f --quiet --show-types \
		--ignore FILE_PATH_CHANGES "$f" 2>&1)
	if [ $? = 0 ] && ! grep -qE '^(ERROR|WARNING)' <<<"$out"; then
		echo "ok $n checkpatch $f"
	else
		sed 's/^/# /' <<<"$out"
		echo "not ok $n checkpatch $f"
		rc=1
	fi
done
exit $rc
