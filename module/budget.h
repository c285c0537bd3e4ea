/* SPDX-License-Identifier: GPL-2.0 */
/* The overhead budget: stalls plus trap costs against target CPU time. */
#ifndef _RACETRAP_BUDGET_H
#define _RACETRAP_BUDGET_H

#include <linux/types.h>

struct racetrap_tracer;

bool racetrap_budget_allow(struct racetrap_tracer *t);
bool racetrap_budget_check(struct racetrap_tracer *t);
void racetrap_budget_charge(struct racetrap_tracer *t, u64 ns);

#endif /* _RACETRAP_BUDGET_H */
