# SPDX-License-Identifier: GPL-2.0
#
# awk -v want=LINE -f callers.awk FILE.c: where the function holding line
# LINE of FILE is called from: its call lines in FILE, comma-separated,
# and "libc" when libc calls it (it is main, or a thread's start routine
# passed to corpus_spawn or pthread_create); "-" when nothing is found.
# Functions are definitions at column 0 whose "{" opens the next line,
# as the corpus (kernel style) writes them; comments are skipped.
{ src[NR] = $0 }

function add(x) { if (index("," out ",", "," x ",") == 0) out = out (out != "" ? "," : "") x }

END {
	fn = ""; cur = ""
	for (i = 1; i <= NR; i++) {
		if (src[i] ~ /^[A-Za-z_][^;]*[A-Za-z0-9_]+\(/ && src[i + 1] ~ /^\{/) {
			s = src[i]; sub(/\(.*/, "", s)
			n = split(s, w, /[ \t*]+/); cur = w[n]
		}
		owner[i] = cur
		if (i == want) fn = cur
	}
	if (fn == "") { print "-"; exit }
	out = ""
	if (fn == "main") add("libc")
	for (i = 1; i <= NR; i++) {
		line = src[i]
		if (owner[i] == fn || line ~ /^[ \t]*(\/\*|\*( |\/|$))/) continue
		sub(/\/\/.*/, "", line); sub(/\/\*.*/, "", line)
		if (line ~ ("(corpus_spawn|pthread_create)\\(([^()]*[, ])?" fn "[,)]"))
			add("libc")
		else if (line ~ ("(^|[^A-Za-z0-9_])" fn "\\("))
			add(i)
	}
	print (out != "" ? out : "-")
}
