/* SPDX-License-Identifier: GPL-2.0 */
/* The clock trigger's pace against the budget (pace.c). */
#ifndef _RACETRAP_PACE_H
#define _RACETRAP_PACE_H

#include <linux/types.h>

struct racetrap_tracer;

u32 racetrap_clock_period_us(struct racetrap_tracer *t, unsigned int shift);
u32 racetrap_clock_period_now(struct racetrap_tracer *t);
void racetrap_clock_pace(struct racetrap_tracer *t);

#endif /* _RACETRAP_PACE_H */
