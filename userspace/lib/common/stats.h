/* SPDX-License-Identifier: GPL-2.0 */
/* Small statistics for measurements racetrap makes of its host. */
#ifndef RACETRAP_STATS_H
#define RACETRAP_STATS_H

#include <stddef.h>

/*
 * The mean of @x[0..@n) and the half-width of its 95% Student t interval
 * (0 when @n < 2): the mean lies in [mean - half, mean + half].
 */
void rt_mean_interval95(const double *x, size_t n, double *mean,
			double *half);

#endif /* RACETRAP_STATS_H */
