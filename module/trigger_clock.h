/* SPDX-License-Identifier: GPL-2.0 */
/* Clock sampling: per-CPU cpu-clock events and per-thread aims. */
#ifndef _RACETRAP_TRIGGER_CLOCK_H
#define _RACETRAP_TRIGGER_CLOCK_H

#include <linux/types.h>

struct racetrap_tracer;

int racetrap_clock_start(struct racetrap_tracer *t);
void racetrap_clock_stop(struct racetrap_tracer *t);
void racetrap_clock_expire(struct racetrap_tracer *t, bool all);

#endif /* _RACETRAP_TRIGGER_CLOCK_H */
