#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_labels.sh: prove the corpus labels on the host, with the
# happens-before detectors everybody trusts.  Every C program is built
# with gcc -fsanitize=thread, every Go program with `go build -race`
# (into build/corpus-tsan/), run for a few seconds, and:
#   racy -> a race report whose two access stacks hold the two marked
#           lines (file:line), one in each;
#   free -> exit status 0 and no race report at all.
# KTAP on stdout, one result per program.  Run by `make check`.
#
# Environment: CORPUS_LABEL_SECONDS (default 3), CORPUS_LABEL_OUT (build
# directory, default build/corpus-tsan).  CORPUS_HB_ORDER=1 is set for
# every run: only the lockorder programs read it (see their header).
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
corpus=$top/selftests/corpus
out=${CORPUS_LABEL_OUT:-$top/build/corpus-tsan}
secs=${CORPUS_LABEL_SECONDS:-3}
logs=$out/logs

echo "KTAP version 1"
mkdir -p "$logs"
if ! make -s -C "$corpus" labels LABEL_OUT="$out" >"$logs/build.out" 2>&1; then
	echo "1..1"
	sed 's/^/# /' "$logs/build.out" | tail -n 40
	echo "not ok 1 build_sanitizer_variants"
	exit 1
fi
lines=$out/corpus.lines
echo "1..$(wc -l <"$lines")"

# access_lines LOG: for every race report in LOG, one line per report:
#   "FIRST-STACK-FILE:LINES | SECOND-STACK-FILE:LINES"
# The two access stacks are the blocks under "Read/Write ... at" and
# "Previous read/write ... at" (TSan and Go alike); the goroutine and
# thread creation stacks that follow do not count.
access_lines() {
	awk '
	function flush() { if (inrep) print s[1] " | " s[2]; inrep = 0 }
	/WARNING: (ThreadSanitizer: )?DATA RACE|WARNING: ThreadSanitizer: data race/ {
		flush(); inrep = 1; n = 0; s[1] = s[2] = ""; sec = 0; next
	}
	!inrep { next }
	/^=+$/ { flush(); next }
	/^ *(Previous )?([Aa]tomic )?([Rr]ead|[Ww]rite)( of size [0-9]+)? at / {
		if (n < 2) { n++; sec = n } else sec = 0
		next
	}
	/^ *$/ { sec = 0; next }
	sec {
		while (match($0, /[A-Za-z0-9_.+-]+\.(c|go):[0-9]+/)) {
			s[sec] = s[sec] " " substr($0, RSTART, RLENGTH)
			$0 = substr($0, RSTART + RLENGTH)
		}
	}
	END { flush() }' "$1"
}

# run PROG LOG: run one sanitizer build; ThreadSanitizer from gcc 12
# cannot map its shadow under some kernels' ASLR layouts ("unexpected
# memory mapping"): then run it again with ASLR off (setarch -R).
run() {
	local prog=$1 log=$2 rc t=$secs
	# go_racy_lazyinit's pair is seen by a happens-before detector only
	# when no Lock/Unlock of the reloader orders the two accesses, which
	# is a matter of timing: Go's detector missed it in one 3 s run of
	# about ten.  Give it the time that makes a miss unlikely.
	case $(basename "$prog") in
	go_racy_lazyinit) t=$((secs * 4)) ;;
	esac
	CORPUS_HB_ORDER=1 TSAN_OPTIONS="halt_on_error=0 exitcode=66 history_size=7 suppress_equal_addresses=0" \
		GORACE="halt_on_error=0 suppress_equal_addresses=0" \
		timeout 120 "$prog" "$t" >"$log" 2>&1
	rc=$?
	if grep -qE 'unexpected memory mapping|FATAL: ThreadSanitizer' "$log"; then
		echo "# $(basename "$prog"): ThreadSanitizer needs ASLR off here: setarch -R"
		CORPUS_HB_ORDER=1 TSAN_OPTIONS="halt_on_error=0 exitcode=66 history_size=7 suppress_equal_addresses=0" \
			timeout 120 setarch "$(uname -m)" -R "$prog" "$t" >"$log" 2>&1
		rc=$?
	fi
	return $rc
}

n=0
fails=0
while read -r prog label file a b _callers; do
	n=$((n + 1))
	log=$logs/$prog.log
	run "$out/$prog" "$log"
	rc=$?
	reports=$(grep -cE 'WARNING: (ThreadSanitizer: data race|DATA RACE)' "$log")
	ok=1
	if [ "$label" = racy ]; then
		# 66: the detectors' exit status after reporting a race.
		[ "$rc" = 66 ] || ok=0
		access_lines "$log" | awk -v a="$file:$a" -v b="$file:$b" '
			function has(list, x) { return index(list " ", " " x " ") > 0 }
			{ split($0, side, " [|] ")
			  if ((has(side[1], a) && has(side[2], b)) ||
			      (has(side[1], b) && has(side[2], a))) found = 1 }
			END { exit !found }' || ok=0
	else
		[ "$rc" = 0 ] && [ "$reports" = 0 ] || ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok $n $prog # $label: exit $rc, $reports reports"
	else
		fails=$((fails + 1))
		echo "not ok $n $prog # $label: exit $rc, $reports reports"
		[ "$label" = racy ] && echo "# expected one stack at $file:$a and the other at $file:$b; stacks seen:"
		access_lines "$log" | sort -u | head -n 5 | sed 's/^/#   /'
		grep -v '^ *$' "$log" | head -n 30 | sed 's/^/# /'
	fi
done <"$lines"
echo "# $((n - fails)) of $n labels proven (log: $logs)"
[ $fails = 0 ]
