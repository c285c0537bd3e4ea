#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test_corpus.sh: racetrap against the race corpus, in the VM, at default
# settings.  For every program of corpus.lines (built from MANIFEST):
#   racy -> `racetrap run` prints a race report whose two access stacks
#           hold the two marked source lines (file:line), one in each;
#   free -> no "WARNING: DATA RACE" at all;
#   both -> no stack frame printed as "0x... (unknown)" (an invented one).
# Then every racy C program again as built without frame pointers
# (nofp/PROG, gcc -O2 -g as distributions build): the pair must be
# reported with each access stack unwound to its caller, as the source
# says (mklines.sh, callers.awk): the line calling the racing function,
# or libc for main and thread start routines; and each stack must reach
# into libc (start_thread, __libc_start_call_main), which only an unwind
# through the binary's CFI can do without frame pointers.
# A Go program's report of the pair must name goroutines as Go's -race
# does: each access "by goroutine N" (or "by main goroutine"), and a
# "Goroutine N (running) created at:" block whose frame is a function of
# the program (main.*), the `go` statement that started it.
# The racing accesses run continually for the whole run (in two looping
# threads, or in request after request of the per-request programs), so
# a miss is a defect, not bad luck: Documentation/corpus.rst gives the
# detection probability per run that the run lengths below buy.
#
# A racy program's run stops as soon as the expected pair is reported,
# and the test prints how many times the pair was caught: the measured
# catch rate behind the detection probability in Documentation/corpus.rst.
#
# Environment: CORPUS_SECONDS (racy run length, default 120),
# CORPUS_FREE_SECONDS (race-free run length, default 10), CORPUS_ONLY
# (a grep -E pattern: only the programs it matches), CORPUS_OPTS (extra
# racetrap options, for experiments; none by default), CORPUS_FULL (1:
# racy runs last CORPUS_SECONDS even once the pair is in, to measure
# catch rates).
cd "$(dirname "$0")" || exit 1
secs=${CORPUS_SECONDS:-120}
free_secs=${CORPUS_FREE_SECONDS:-10}
only=${CORPUS_ONLY:-.}
opts=${CORPUS_OPTS:-}
full=${CORPUS_FULL:-0}

tmp=${TMPDIR:-/tmp}/corpus.$$
lines=$tmp/lines
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
grep -E "^($only)" corpus.lines >"$lines"
# The builds without frame pointers, as programs named nofp/PROG.
while read -r prog label rest; do
	[ "$label" = racy ] && [ -x "nofp/$prog" ] &&
		echo "nofp/$prog $label $rest"
done <"$lines" >"$lines.nofp"
cat "$lines.nofp" >>"$lines"

echo "KTAP version 1"
echo "1..$(grep -c . "$lines")"

why=
command -v racetrap >/dev/null 2>&1 || why="racetrap is not installed"
[ -n "$why" ] || [ -c /dev/racetrap ] || why="no /dev/racetrap (racetrap.ko not loaded)"
if [ -n "$why" ]; then
	n=0
	while read -r prog rest; do
		n=$((n + 1))
		echo "ok $n $prog # SKIP $why"
	done <"$lines"
	exit 0
fi

# access_lines REPORTS: one line per race report,
#   "FINGERPRINT | FILE:LINE... | FILE:LINE..."
# the file:line of every frame of its first and its second access (the
# sampled one and the trapped "Previous" one; TSan's layout for C, Go's
# for Go, where a frame takes two lines; each block ends at a blank line);
# base names only; "libc" for each frame in the C library.
access_lines() {
	awk '
	function flush() { if (inrep) print fp " | " s[1] " | " s[2]; inrep = 0 }
	/WARNING: DATA RACE/ { flush(); inrep = 1; n = 0; s[1] = s[2] = ""; fp = "-"; sec = 0; next }
	!inrep { next }
	/^=+$/ { flush(); next }
	/ at 0x[0-9a-f]+ by (thread|goroutine|main goroutine)/ { if (n < 2) { n++; sec = n } else sec = 0; next }
	/^ *Race fingerprint: / { fp = $3; sec = 0; next }
	/^ *$/ { sec = 0; next }
	sec {
		if (index($0, "(libc.so"))
			s[sec] = s[sec] " libc"
		while (match($0, /[A-Za-z0-9_.+-]+\.(c|go):[0-9]+/)) {
			s[sec] = s[sec] " " substr($0, RSTART, RLENGTH)
			$0 = substr($0, RSTART + RLENGTH)
		}
	}
	END { flush() }' "$1"
}

# pair_fingerprints REPORTS FILE A B: the fingerprint of every report
# with FILE:A in one access stack and FILE:B in the other.
pair_fingerprints() {
	access_lines "$1" | awk -v a="$2:$3" -v b="$2:$4" '
		function has(list, x) { return index(list " ", " " x " ") > 0 }
		{ split($0, f, " [|] ")
		  if ((has(f[2], a) && has(f[3], b)) ||
		      (has(f[2], b) && has(f[3], a))) print f[1] }'
}

pair_reported() {
	[ -n "$(pair_fingerprints "$@")" ]
}

# unwound_fingerprints REPORTS FILE A B CALLERS_A CALLERS_B: the
# fingerprint of every report of the pair whose A stack holds one of
# CALLERS_A and whose B stack one of CALLERS_B (comma-separated lines of
# FILE, or "libc"; "-": no caller known), and both stacks reach libc.
unwound_fingerprints() {
	access_lines "$1" | awk -v file="$2" -v a="$2:$3" -v b="$2:$4" \
		-v ca="$5" -v cb="$6" '
		function has(list, x) { return index(list " ", " " x " ") > 0 }
		function called(list, callers,   n, c, i) {
			if (callers == "-")
				return 1
			n = split(callers, c, ",")
			for (i = 1; i <= n; i++)
				if (has(list, c[i] == "libc" ? "libc" : file ":" c[i]))
					return 1
			return 0
		}
		{ split($0, f, " [|] ")
		  if (has(f[2], a) && has(f[3], b)) { sa = f[2]; sb = f[3] }
		  else if (has(f[2], b) && has(f[3], a)) { sa = f[3]; sb = f[2] }
		  else next
		  if (called(sa, ca) && called(sb, cb) && has(sa, "libc") &&
		      has(sb, "libc"))
			print f[1] }'
}

# found REPORTS PROG FILE A B CALLERS_A CALLERS_B: what a racy program
# must show: the pair, and for nofp/ builds the pair unwound.
found() {
	# The run's shell may not have opened REPORTS yet.
	[ -e "$1" ] || return 1
	case $2 in
	nofp/*) [ -n "$(unwound_fingerprints "$1" "$3" "$4" "$5" "$6" "$7")" ] ;;
	*) pair_reported "$1" "$3" "$4" "$5" ;;
	esac
}

# goroutine_fingerprints REPORTS: the fingerprint of every race report
# whose two accesses are named by goroutine and that says where one of
# them was created, in a function of the program (Go's "main." package).
goroutine_fingerprints() {
	awk '
	function flush() {
		if (inrep && acc == 2 && named == 2 && created) print fp
		inrep = 0
	}
	/WARNING: DATA RACE/ { flush(); inrep = 1; acc = named = created = at = 0; fp = "-"; next }
	!inrep { next }
	/^=+$/ { flush(); next }
	/ at 0x[0-9a-f]+ by (thread|goroutine|main goroutine)/ { acc++ }
	/ at 0x[0-9a-f]+ by (goroutine [0-9]+|main goroutine):$/ { named++ }
	at { if ($0 ~ /^  main\./) created = 1; at = 0 }
	/^Goroutine [0-9]+ \(running\) created at:$/ { at = 1 }
	/^ *Race fingerprint: / { fp = $3 }
	END { flush() }' "$1"
}

# goroutines_named REPORTS FILE A B: a report of the pair names its
# goroutines (goroutine_fingerprints).
goroutines_named() {
	gfps=" $(goroutine_fingerprints "$1" | tr '\n' ' ')"
	for fp in $(pair_fingerprints "$@"); do
		case $gfps in *" $fp "*) return 0 ;; esac
	done
	return 1
}

# pair_hits REPORTS FILE A B: how many times the pair was caught, from
# the summary's per-race hit counts (0 without a summary).
pair_hits() {
	fps=$(pair_fingerprints "$@" | tr '\n' ' ')
	awk -v fps=" $fps" '
		/^  [0-9a-f]{16} / && index(fps, " " $1 " ") {
			for (i = 2; i < NF; i++)
				if ($(i + 1) ~ /^hits?$/) { n += $i; break }
		}
		END { print n + 0 }' "$1"
}

n=0
fails=0
while read -r prog label file a b ca cb; do
	n=$((n + 1))
	out=$tmp/$(echo "$prog" | tr / _).out
	err=$tmp/$(echo "$prog" | tr / _).err
	if [ "$label" = racy ]; then
		t=$secs
	else
		t=$free_secs
	fi
	start=$(date +%s)
	# shellcheck disable=SC2086 # $opts: word splitting wanted
	racetrap run $opts -- "./$prog" "$t" \
		>"$out" 2>"$err" </dev/null &
	run=$!
	stopped=0
	# A racy run ends once its pair is in: racetrap run passes SIGTERM
	# to the program and still prints its summary.
	while [ "$label" = racy ] && [ "$full" != 1 ] &&
		kill -0 "$run" 2>/dev/null; do
		if found "$out" "$prog" "$file" "$a" "$b" "$ca" "$cb"; then
			kill -TERM "$run"
			stopped=1
			break
		fi
		sleep 1
	done
	wait "$run"
	rc=$?
	reports=$(grep -c 'WARNING: DATA RACE' "$out")
	# A frame no mapping explains is one the stack walk invented.
	unknown=$(grep -cE '^ *(#[0-9]+ )?0x[0-9a-f]+ \(unknown\)$' "$out")
	ok=1
	nogo=0
	# racetrap run exits 66 after reporting a race (as TSan and Go's
	# -race do) when the program itself exited 0.
	want_rc=0
	[ "$reports" = 0 ] || want_rc=66
	[ "$rc" = $want_rc ] || { [ $stopped = 1 ] && [ "$rc" = 143 ]; } || ok=0
	[ "$unknown" = 0 ] || ok=0
	if [ "$label" = racy ]; then
		found "$out" "$prog" "$file" "$a" "$b" "$ca" "$cb" || ok=0
		case $prog in
		go_*)
			if pair_reported "$out" "$file" "$a" "$b" &&
				! goroutines_named "$out" "$file" "$a" "$b"; then
				ok=0
				nogo=1
			fi ;;
		esac
	else
		[ "$reports" = 0 ] || ok=0
	fi
	if [ $ok = 1 ]; then
		how="in $t s"
		[ $stopped = 1 ] && how="stopped once the pair was in"
		echo "ok $n $prog # $label: $reports reports $how"
		[ "$label" = racy ] &&
			echo "# pair caught $(pair_hits "$out" "$file" "$a" "$b") times in $(($(date +%s) - start)) s"
		continue
	fi
	fails=$((fails + 1))
	echo "not ok $n $prog # $label: exit $rc, $reports reports in $t s, $unknown unknown frames"
	[ "$label" = racy ] &&
		echo "# expected one stack at $file:$a and the other at $file:$b"
	case $prog in
	nofp/*) echo "# ... called from $ca and $cb, each stack reaching libc" ;;
	esac
	[ $nogo = 1 ] &&
		echo '# the pair was reported without "by goroutine N" on both accesses, or without a "Goroutine N (running) created at:" block in main.*'
	echo "# stacks reported (fingerprint | first | second access):"
	access_lines "$out" | sort -u | head -n 8 | sed 's/^/#   /'
	grep -E '^racetrap: (summary|.*lost|.*budget)' "$out" | head -n 4 | sed 's/^/# /'
	grep -E '^  [0-9a-f]{16} ' "$out" | head -n 4 | sed 's/^ */# /'
	tail -n 5 "$err" | sed 's/^/# stderr: /'
done <"$lines"
echo "# $((n - fails)) of $n corpus programs judged right"
[ $fails = 0 ]
