/* SPDX-License-Identifier: GPL-2.0 */
/* The rig's xol_guard: the last check before a uprobe's step. */
#ifndef _RACETRAP_STEP_GUARD_H
#define _RACETRAP_STEP_GUARD_H

struct pt_regs;
struct racetrap_site;
struct racetrap_tracer;

void racetrap_step_guard(struct racetrap_tracer *t, struct pt_regs *regs,
			 const struct racetrap_site *s);
void racetrap_step_guard_test_delay(void);

#endif /* _RACETRAP_STEP_GUARD_H */
