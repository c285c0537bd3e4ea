/* SPDX-License-Identifier: GPL-2.0 */
/* The rig's xol_guard: the last check before a uprobe's step. */
#ifndef _RACETRAP_STEP_GUARD_H
#define _RACETRAP_STEP_GUARD_H

#include <linux/gfp.h>

struct racetrap_site;
struct racetrap_tracer;
struct task_struct;

void racetrap_step_guard(struct racetrap_tracer *t, struct task_struct *task,
			 const struct racetrap_site *s, unsigned long vaddr,
			 gfp_t gfp);
void racetrap_step_guard_test_delay(void);

#endif /* _RACETRAP_STEP_GUARD_H */
