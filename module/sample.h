/* SPDX-License-Identifier: GPL-2.0 */
/* One sample: watch the sampled access's address, stall, report. */
#ifndef _RACETRAP_SAMPLE_H
#define _RACETRAP_SAMPLE_H

#include <linux/types.h>

struct pt_regs;
struct racetrap_site;
struct racetrap_site_ref;
struct racetrap_slot;
struct racetrap_tracer;

void racetrap_sample(struct racetrap_tracer *t, struct pt_regs *regs,
		     const struct racetrap_site_ref *ref, u16 trigger);
void racetrap_sample_at(struct racetrap_tracer *t, unsigned long ip,
			const struct racetrap_site_ref *ref, u16 trigger);
unsigned long racetrap_operand_addr(const struct racetrap_site *s,
				    const struct pt_regs *regs,
				    unsigned long next_ip);
void racetrap_sample_wake(struct racetrap_slot *slot);
void racetrap_sample_wake_all(struct racetrap_tracer *t);

#endif /* _RACETRAP_SAMPLE_H */
