# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for tools/vm/run to assemble the guest's initramfs from newc cpio
# archives: copying host files (and the shared libraries an ELF needs) into
# a staging tree at the paths the guest expects, packing a tree, and keeping
# cached archives that are rebuilt only when their inputs change.  Sourced,
# not run; the caller has `set -euo pipefail` and defines die().

# is_elf FILE: true if FILE starts with the ELF magic.
is_elf() {
	[ -f "$1" ] && [ "$(head -c 4 -- "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

# elf_libs FILE...: print, one per line, the absolute host paths of the
# shared libraries and dynamic loader the dynamic ELFs among FILE need.
# A library ldd cannot find is an error, because the program would not
# start in the guest either.
elf_libs() {
	local file out
	for file in "$@"; do
		is_elf "$file" || continue
		# Static programs, modules and objects: ldd fails, nothing to copy.
		out=$(LC_ALL=C ldd -- "$file" 2>/dev/null) || continue
		if grep -q 'not found' <<<"$out"; then
			die "$file needs libraries not on this host:" \
				"$(grep 'not found' <<<"$out" | tr -s ' \t\n' ' ')"
		fi
		awk '$2 == "=>" && $3 ~ /^\// { print $3 }
		     $1 ~ /^\// { print $1 }' <<<"$out"
	done | LC_ALL=C sort -u
}

# stage_file HOST_PATH STAGE GUEST_PATH: copy a file, following symlinks,
# keeping its mode and mtime.
stage_file() {
	mkdir -p -- "$2$(dirname -- "$3")"
	cp -L --preserve=mode,timestamps -- "$1" "$2$3"
}

# stage_libs STAGE FILE...: copy the libraries FILE... need to the same
# absolute paths under STAGE.
stage_libs() {
	local stage=$1 libs lib
	shift
	# Not a process substitution: elf_libs failing must stop the caller.
	libs=$(elf_libs "$@")
	for lib in $libs; do
		stage_file "$lib" "$stage" "$lib"
	done
}

# pack_cpio STAGE OUT: write STAGE as a newc archive owned by root to OUT,
# atomically, so a concurrent reader sees the old or the new archive whole.
pack_cpio() {
	local stage=$1 out=$2
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) >"$out.tmp.$$"
	mv -f -- "$out.tmp.$$" "$out"
}

# manifest FILE...: one line per input file with its size and mtime (in
# nanoseconds), the cache key for an archive built from those files.
manifest() {
	local file
	for file in "$@"; do
		stat -L -c '%n %s %.9Y' -- "$file"
	done
}

# cache_fresh ARCHIVE MANIFEST_TEXT: true if ARCHIVE exists and was built
# from inputs with exactly MANIFEST_TEXT.
cache_fresh() {
	[ -f "$1" ] && [ -f "$1.manifest" ] &&
		[ "$(cat -- "$1.manifest")" = "$2" ]
}

# cache_store ARCHIVE MANIFEST_TEXT: record what ARCHIVE was built from.
cache_store() {
	printf '%s\n' "$2" >"$1.manifest.tmp.$$"
	mv -f -- "$1.manifest.tmp.$$" "$1.manifest"
}
