// SPDX-License-Identifier: GPL-2.0
/*
 * The clock trigger's pace.  clock_period_us is the period while the
 * budget binds; while most of the budget goes unused, the clock ticks
 * faster, up to MAX_SHIFT halvings and never under PERIOD_FLOOR_US, so
 * that the budget, not the tick rate, is what limits sampling.  In the
 * test VM at --budget 100%, per-request Go programs took 50-100 samples/s
 * at 10 ms and 170-235/s at 2.5 ms (Documentation/engine.rst, "Clock
 * sampling").  The tick's work judges each interval of the target's CPU
 * time: any sample refused by the budget or any pause of sampling in it,
 * or three quarters of what the target earned charged, halves the rate;
 * under a third charged doubles it.  Each change is one
 * perf_event_period() per CPU event, a cross-CPU call each, at most once
 * per tick.
 *
 * Ticks are charged to the budget, so a faster clock pays for itself
 * there; the interrupts it makes on CPUs where the target does not run
 * (the events are per CPU) are not the target's, and are bounded by the
 * floor, as clock_period_us's own floor bounds them (config.c).
 */
#include <linux/minmax.h>
#include <linux/perf_event.h>
#include "budget.h"
#include "pace.h"
#include "tracer.h"

#define MAX_SHIFT	3
#define PERIOD_FLOOR_US	1000U
#define SLOWER_PCT	75
#define FASTER_PCT	33

u32 racetrap_clock_period_us(struct racetrap_tracer *t, unsigned int shift)
{
	u32 base = READ_ONCE(t->cfg.clock_period_us);

	return max(base >> shift, min(base, PERIOD_FLOOR_US));
}

/* For RACETRAP_STAT_CLOCK_PERIOD_US: 0 while the clock trigger is off. */
u32 racetrap_clock_period_now(struct racetrap_tracer *t)
{
	if (!READ_ONCE(t->attached) ||
	    !(READ_ONCE(t->cfg.triggers) & RACETRAP_TRIGGER_CLOCK))
		return 0;
	return racetrap_clock_period_us(t, READ_ONCE(t->clock_shift));
}

/* A refused change keeps the old shift: the next tick tries again. */
static void set_shift(struct racetrap_tracer *t, unsigned int shift)
{
	u64 ns = (u64)racetrap_clock_period_us(t, shift) * NSEC_PER_USEC;
	unsigned int i;

	for (i = 0; i < t->nr_clock_events; i++)
		if (perf_event_period(t->clock_events[i], ns))
			return;
	WRITE_ONCE(t->clock_shift, shift);
}

/*
 * The tick's work, which attach and CONFIG stop before they start or
 * restart the clock's events: nothing else changes them meanwhile.
 */
void racetrap_clock_pace(struct racetrap_tracer *t)
{
	unsigned int shift = t->clock_shift;
	bool refused;
	int used;

	if (!t->nr_clock_events)
		return;
	used = racetrap_budget_interval_use(t, &refused);
	if (used < 0)
		return;
	if (refused || used >= SLOWER_PCT) {
		if (shift)
			set_shift(t, shift - 1);
	} else if (used < FASTER_PCT && shift < MAX_SHIFT &&
		   racetrap_clock_period_us(t, shift + 1) <
		   racetrap_clock_period_us(t, shift)) {
		set_shift(t, shift + 1);
	}
}
