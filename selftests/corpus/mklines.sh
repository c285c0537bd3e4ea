#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mklines.sh MANIFEST SRCDIR: print, for every program of the manifest,
#   program label file lineA lineB callersA callersB
# where file is the source's base name (what a report's file:line ends
# with) and lineA/lineB the lines marked "RACE: <marker> A" and "... B"
# ("-" for race-free programs).  callersA/B say where the function holding
# that line is called from (callers.awk): its call lines, comma-separated,
# "libc" for main and thread start routines, "-" when the source does not
# say (calls through pointers; every Go program).  Fails when a racy
# program does not have exactly one A and one B marker, or a race-free one
# has any: the labels and the markers must not drift apart.
set -u
manifest=$1
src=$2
here=$(dirname "$0")
status=0

marker_line() { # FILE MARKER SIDE
	grep -nE "RACE: $2( [AB])* ?$3( |\$)" "$1" | cut -d: -f1
}

grep -v '^#' "$manifest" | while read -r prog label _lang file marker; do
	[ -n "$prog" ] || continue
	path=$src/$file
	if [ ! -f "$path" ]; then
		echo "mklines.sh: $prog: no source $path" >&2
		exit 1
	fi
	case $label in
	racy)
		a=$(marker_line "$path" "$marker" A)
		b=$(marker_line "$path" "$marker" B)
		if [ "$(echo "$a" | wc -w)" != 1 ] || [ "$(echo "$b" | wc -w)" != 1 ]; then
			echo "mklines.sh: $prog: need one 'RACE: $marker A' and one 'RACE: $marker B' line in $file" >&2
			exit 1
		fi
		ca=- cb=-
		case $file in
		*.c)
			ca=$(awk -v want="$a" -f "$here/callers.awk" "$path")
			cb=$(awk -v want="$b" -f "$here/callers.awk" "$path")
			;;
		esac
		;;
	free)
		if grep -q 'RACE:' "$path"; then
			echo "mklines.sh: $prog: race-free but $file has RACE markers" >&2
			exit 1
		fi
		a=- b=- ca=- cb=-
		;;
	*)
		echo "mklines.sh: $prog: label '$label' is neither racy nor free" >&2
		exit 1
		;;
	esac
	echo "$prog $label ${file##*/} $a $b $ca $cb"
done || status=1
exit $status
