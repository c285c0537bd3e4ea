/* SPDX-License-Identifier: GPL-2.0 */
/* Site samples taken after the probed instruction's single-step. */
#ifndef _RACETRAP_SITE_STEP_H
#define _RACETRAP_SITE_STEP_H

#include <linux/types.h>

struct pt_regs;
struct racetrap_site_ref;
struct racetrap_tracer;

bool racetrap_site_step_expect(struct racetrap_tracer *t,
			       const struct pt_regs *regs,
			       const struct racetrap_site_ref *ref);
void racetrap_site_step_expire(struct racetrap_tracer *t, bool all);
int racetrap_site_step_register(void);
void racetrap_site_step_unregister(void);

#endif /* _RACETRAP_SITE_STEP_H */
