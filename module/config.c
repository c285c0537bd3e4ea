// SPDX-License-Identifier: GPL-2.0
/*
 * Tunables.  Every default and bound is here, in one table, so the
 * documentation (Documentation/engine.rst) has one place to match.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include "config.h"

/*
 * window_us 500: long enough that a thread hammering a shared word in a
 * loop is caught in most windows, short enough that 1% of one CPU second
 * pays for 20 windows.  site_rotate_ms 100 with 16 probes: each site of a
 * 10k-site binary is probed every ~60 s of run time.  clock_period_us
 * 10000: one tick per 10 ms of a thread's CPU time, the perf default
 * order of magnitude.  max_watchpoints 1: leave three of x86's four debug
 * registers to debuggers.  budget_ppm 10000: 1% of the target's CPU time.
 * stack_dump 0: no stack dumps, so a tool that does not ask for them gets
 * the fixed-size records it knows (userspace asks for 4096 bytes).
 * watch_threads twice the online CPUs, at least 8, as ABI version 4
 * read it back (it has no effect now: windows watch per CPU).
 *
 * Floors that bound what one attachment does to the rest of the system:
 * clock_period_us 1000, as the clock trigger's events are per CPU and
 * interrupt whatever runs there (1000 interrupts/s per CPU at most, a
 * HZ=1000 tick's worth); site_rotate_ms 50, as a rotation takes out and
 * arms a site breakpoint in each of up to site_probes threads, each a
 * cross-CPU call to the CPU that thread runs on (at most 2 * 1024 * 20
 * IPIs/s).
 */
struct racetrap_tunable {
	size_t off;
	u32 def, min, max;
};

#define TUNABLE(field, d, lo, hi) \
	{ offsetof(struct racetrap_config, field), d, lo, hi }

static const struct racetrap_tunable racetrap_tunables[] = {
	TUNABLE(triggers, __RACETRAP_TRIGGER_ALL, 1, __RACETRAP_TRIGGER_ALL),
	TUNABLE(window_us, 500, 1, 100000),
	TUNABLE(site_probes, 16, 1, 1024),
	TUNABLE(site_rotate_ms, 100, 50, 60000),
	TUNABLE(clock_period_us, 10000, 1000, 10000000),
	TUNABLE(max_watchpoints, 1, 1, RACETRAP_MAX_WATCHPOINTS),
	TUNABLE(stack_depth, 32, 1, RACETRAP_MAX_STACK),
	TUNABLE(budget_ppm, 10000, 1, 1000000),
	TUNABLE(stack_dump, 0, 64, RACETRAP_MAX_STACK_DUMP),
};

static u32 *field(struct racetrap_config *cfg, size_t off)
{
	return (u32 *)((char *)cfg + off);
}

void racetrap_config_defaults(struct racetrap_config *cfg)
{
	struct racetrap_config zero = {};

	racetrap_config_resolve(cfg, &zero);
}

/*
 * Validate every field of @in, then write the resolved values (zero means
 * the default) to @out.  On error @out is untouched.  Flags and size are
 * the caller's business; reserved words must be zero.
 */
int racetrap_config_resolve(struct racetrap_config *out,
			    const struct racetrap_config *in)
{
	struct racetrap_config res = *in;
	size_t i;

	if (memchr_inv(in->__pad, 0, sizeof(in->__pad)))
		return -EINVAL;
	/* Both Go offsets or neither, the guard a word; a g with an id. */
	if (!in->go_preempt_off != !in->go_guard_off || in->go_guard_off % 8 ||
	    (in->go_preempt_off && !in->nr_ctx))
		return -EINVAL;
	if (in->nr_ctx > RACETRAP_MAX_CTX_WORDS ||
	    (in->nr_ctx && in->stack_reg == RACETRAP_REG_NONE))
		return -EINVAL;
	for (i = 0; i < RACETRAP_MAX_CTX_WORDS; i++)
		if (in->ctx_off[i] > RACETRAP_MAX_STACK_OFF ||
		    in->ctx_off[i] % 8 || (i >= in->nr_ctx && in->ctx_off[i]))
			return -EINVAL;
	if (in->stack_reg >= RACETRAP_REG_RIP ||
	    in->stack_reg == RACETRAP_REG_RSP ||
	    in->stack_off > RACETRAP_MAX_STACK_OFF || in->stack_dump % 8)
		return -EINVAL;
	if (in->triggers & ~__RACETRAP_TRIGGER_ALL)
		return -EOPNOTSUPP;
	for (i = 0; i < ARRAY_SIZE(racetrap_tunables); i++) {
		const struct racetrap_tunable *t = &racetrap_tunables[i];
		u32 *v = field(&res, t->off);

		if (!*v)
			*v = t->def;
		else if (*v < t->min || *v > t->max)
			return -EINVAL;
	}
	if (in->watch_threads > RACETRAP_MAX_WATCH_THREADS)
		return -EINVAL;
	if (!in->watch_threads)
		res.watch_threads = max(8U, 2 * num_online_cpus());
	res.size = out->size;
	res.flags = out->flags;
	*out = res;
	return 0;
}
