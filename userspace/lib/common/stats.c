// SPDX-License-Identifier: GPL-2.0
/* stats: the mean and its 95% interval, as tools/bench computes them. */
#include <math.h>

#include "stats.h"

/* Student t's 97.5% quantile for 1..30 degrees of freedom; then normal. */
static const double t975[] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

void rt_mean_interval95(const double *x, size_t n, double *mean,
			double *half)
{
	size_t df = n ? n - 1 : 0, i;
	double sum = 0, ss = 0;

	*mean = 0;
	*half = 0;
	if (!n)
		return;
	for (i = 0; i < n; i++)
		sum += x[i];
	*mean = sum / (double)n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	*half = (df <= 30 ? t975[df - 1] : 1.96) *
		sqrt(ss / (double)df) / sqrt((double)n);
}
