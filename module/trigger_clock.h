/* SPDX-License-Identifier: GPL-2.0 */
/* Clock sampling: a per-thread cpu-clock event picks sampled accesses. */
#ifndef _RACETRAP_TRIGGER_CLOCK_H
#define _RACETRAP_TRIGGER_CLOCK_H

struct racetrap_tracer;
struct task_struct;

int racetrap_clock_start(struct racetrap_tracer *t, struct task_struct *task);
void racetrap_clock_stop(struct racetrap_tracer *t);

#endif /* _RACETRAP_TRIGGER_CLOCK_H */
