/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-tracer counters, indexed by enum racetrap_stat.  Atomic so that
 * every context (task, cpu-clock hrtimer, #DB) can count without a lock.
 */
#ifndef _RACETRAP_STATS_H
#define _RACETRAP_STATS_H

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <uapi/linux/racetrap.h>

static_assert(__RACETRAP_STAT_LAST <= RACETRAP_STATS_MAX);

struct racetrap_counters {
	atomic64_t c[__RACETRAP_STAT_LAST];
};

static inline void racetrap_count_add(struct racetrap_counters *s,
				      enum racetrap_stat i, s64 n)
{
	atomic64_add(n, &s->c[i]);
}

static inline void racetrap_count(struct racetrap_counters *s,
				  enum racetrap_stat i)
{
	atomic64_inc(&s->c[i]);
}

static inline u64 racetrap_count_read(struct racetrap_counters *s,
				      enum racetrap_stat i)
{
	return atomic64_read(&s->c[i]);
}

#endif /* _RACETRAP_STATS_H */
