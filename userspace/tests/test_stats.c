// SPDX-License-Identifier: GPL-2.0
/*
 * The mean and 95% interval racetrap calibrate prints and writes: Student
 * t's quantile for small samples, the normal one past 30 degrees of
 * freedom, nothing to divide by for 0 or 1 sample.
 */
#include <math.h>

#include "stats.h"
#include "testlib.h"

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-3;
}

int main(void)
{
	double five[] = { 1, 2, 3, 4, 5 }, big[40], one = 7, mean, half;
	size_t i;

	ktap_start(4);
	/* sd sqrt(2.5), t(4) = 2.776: 2.776 * 1.5811 / sqrt(5) */
	rt_mean_interval95(five, 5, &mean, &half);
	EXPECT_TRUE(near(mean, 3) && near(half, 1.96294), "five_samples_t4",
		    "mean %f half %f", mean, half);
	/* 20 zeros and 20 twos: mean 1, sd sqrt(40/39); 1.96 past df 30 */
	for (i = 0; i < 40; i++)
		big[i] = i % 2 ? 2 : 0;
	rt_mean_interval95(big, 40, &mean, &half);
	EXPECT_TRUE(near(mean, 1) && near(half, 1.96 * sqrt(40.0 / 39) / sqrt(40)),
		    "forty_samples_normal", "mean %f half %f", mean, half);
	rt_mean_interval95(&one, 1, &mean, &half);
	EXPECT_TRUE(mean == 7 && half == 0, "one_sample_no_interval",
		    "mean %f half %f", mean, half);
	rt_mean_interval95(NULL, 0, &mean, &half);
	EXPECT_TRUE(mean == 0 && half == 0, "no_samples",
		    "mean %f half %f", mean, half);
	return ktap_finish();
}
