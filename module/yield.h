/* SPDX-License-Identifier: GPL-2.0 */
/* Goroutine windows: a Go window holds the goroutine, not its thread. */
#ifndef _RACETRAP_YIELD_H
#define _RACETRAP_YIELD_H

#include <linux/ktime.h>
#include <linux/types.h>

struct pt_regs;
struct racetrap_slot;
struct racetrap_tracer;
struct racetrap_window;

unsigned long racetrap_yield_g(struct racetrap_tracer *t,
			       struct racetrap_slot *slot,
			       const struct pt_regs *regs, u8 site_flags);
void racetrap_yield_opening(struct racetrap_slot *slot);
void racetrap_yield_abandon(struct racetrap_slot *slot);
bool racetrap_yield_open(struct racetrap_tracer *t, struct racetrap_slot *slot,
			 const struct racetrap_window *w, unsigned long g,
			 ktime_t t0);
void racetrap_yield_kick(struct racetrap_slot *slot);
void racetrap_yield_close_on_hit(struct racetrap_slot *slot);
bool racetrap_yield_trap(struct racetrap_slot *slot,
			 const struct pt_regs *regs);
void racetrap_yield_slot_init(struct racetrap_slot *slot);
void racetrap_yield_slot_flush(struct racetrap_slot *slot);

#endif /* _RACETRAP_YIELD_H */
