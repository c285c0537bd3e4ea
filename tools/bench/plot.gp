# SPDX-License-Identifier: GPL-2.0
#
# plot.gp: overhead of racetrap on the pool workload against its sampling
# period.  gnuplot -e "data='FILE'; out='PNG'" plot.gp (see sweep.awk).
set terminal pngcairo size 900,560 font ",11" noenhanced
set output out
set datafile missing "?"
set title "racetrap attach: pool workload overhead vs cpu-clock sampling period (QEMU TCG guest)"
set xlabel "--clock-period (us of each thread's CPU time between samples; right = more samples)"
set ylabel "throughput overhead (%)"
set logscale x
set grid
set key top right
set xrange [*:*] reverse
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lc rgb "#c00000"
set label "1% target" at graph 0.02, first 1 offset 0,0.6 tc rgb "#c00000"
plot data using 1:2 with linespoints lw 2 pt 7 title "--budget 100% (unlimited)", \
     data using 1:3 with linespoints lw 2 pt 5 title "--budget 1% (default)"
