/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One window in the making, and what of the sample (sample.c) goroutine
 * windows (yield.c) use.
 */
#ifndef _RACETRAP_WINDOW_H
#define _RACETRAP_WINDOW_H

#include <linux/types.h>
#include <uapi/linux/racetrap.h>

struct pt_regs;
struct racetrap_site_ref;
struct racetrap_slot;
struct racetrap_tracer;

struct racetrap_window {
	const struct racetrap_site_ref *ref;
	const struct pt_regs *regs;
	u16 trigger;
	unsigned long addr, waddr;
	unsigned int wlen;
	u32 flags;			/* RACETRAP_REC_F_* */
	u64 before, after;
	u64 armed;			/* read once every thread was armed */
	bool armed_known;
	u64 window_ns;
};

unsigned long racetrap_stack_bounds(struct racetrap_tracer *t,
				    const struct pt_regs *regs, u64 bounds[2]);
u32 racetrap_read_ctx(struct racetrap_tracer *t, const struct pt_regs *regs,
		      u64 ctx[RACETRAP_MAX_CTX_WORDS], bool may_sleep);
void racetrap_slot_release(struct racetrap_tracer *t,
			   struct racetrap_slot *s);
void racetrap_sample_stall(struct racetrap_tracer *t,
			   struct racetrap_slot *slot, u32 window_us);
void racetrap_fill_header(struct racetrap_tracer *t,
			  const struct racetrap_window *w,
			  struct racetrap_record *rec, u16 type);
void racetrap_report_hits(struct racetrap_tracer *t,
			  struct racetrap_slot *slot,
			  struct racetrap_record *rec,
			  const struct racetrap_user_dump *sampled);
struct racetrap_user_dump *racetrap_dump_sampled(struct racetrap_slot *slot,
						 const struct pt_regs *regs);

#endif /* _RACETRAP_WINDOW_H */
