# SPDX-License-Identifier: GPL-2.0
#
# paired_t.awk: the paired comparison of bp_switch.sh and bp_page.sh.
# Input lines "rep R MODE VALUE [PER]": run R of each mode, alternated, mode
# 0 the baseline.  Prints each mode's mean VALUE (and PER), then for every
# other mode its mean over the runs of, with stat=per, (VALUE - mode 0's
# VALUE in the same run) / PER, or, with stat=ratio, VALUE / mode 0's
# VALUE in the same run, with a 95% Student t interval.  Labels: label
# names VALUE, perlabel PER, dlabel the difference of stat=per.
BEGIN {
	# t quantiles, 97.5%, for 1..30 degrees of freedom (then 1.96)
	split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 " \
	      "2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086 " \
	      "2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045 2.042", tq)
	if (stat == "")
		stat = "ratio"
}
$1 == "rep" {
	v[$2, $3] = $4
	per[$2, $3] = NF >= 5 ? $5 : 1
	if ($2 > n)
		n = $2
	if ($3 > modes)
		modes = $3
}
END {
	for (m = 0; m <= modes; m++) {
		s = 0; w = 0
		for (r = 1; r <= n; r++) { s += v[r, m]; w += per[r, m] }
		printf "mode %d: %.3f %s", m, s / n, label
		if (stat == "per")
			printf ", %.2f %s", w / n, perlabel
		printf "\n"
	}
	for (m = 1; m <= modes; m++) {
		s = 0; ss = 0
		for (r = 1; r <= n; r++) {
			if (stat == "per")
				d[r] = (v[r, m] - v[r, 0]) / per[r, m]
			else
				d[r] = v[r, m] / v[r, 0]
			s += d[r]
		}
		mean = s / n
		for (r = 1; r <= n; r++)
			ss += (d[r] - mean) ^ 2
		sd = n > 1 ? sqrt(ss / (n - 1)) : 0
		t = n - 1 <= 30 ? tq[n - 1] : 1.96
		half = n > 1 ? t * sd / sqrt(n) : 0
		if (stat == "per")
			printf "mode %d over mode 0: %+.0f %s [%+.0f, %+.0f] (95%%, %d reps)\n", \
				m, mean, dlabel, mean - half, mean + half, n
		else
			printf "mode %d / mode 0: %.2f [%.2f, %.2f] (95%%, %d reps)\n", \
				m, mean, mean - half, mean + half, n
	}
}
