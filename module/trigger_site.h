/* SPDX-License-Identifier: GPL-2.0 */
/* Site sampling (per-thread execute breakpoints) and the periodic tick. */
#ifndef _RACETRAP_TRIGGER_SITE_H
#define _RACETRAP_TRIGGER_SITE_H

struct racetrap_tracer;
struct task_struct;
struct work_struct;

void racetrap_tick_fn(struct work_struct *work);
unsigned int racetrap_site_stop(struct racetrap_tracer *t);
void racetrap_site_refresh(struct racetrap_tracer *t);
void racetrap_site_birth(struct racetrap_tracer *t, struct task_struct *child);

#endif /* _RACETRAP_TRIGGER_SITE_H */
