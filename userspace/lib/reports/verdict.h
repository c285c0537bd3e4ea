/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which hits are not the program's races: the analyzer counts them and
 * reports nothing (Documentation/engine.rst, "Atomic pairs";
 * Documentation/report-format.rst on runtime internals).
 */
#ifndef RT_VERDICT_H
#define RT_VERDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi/linux/racetrap.h>

#include "report.h"
#include "symbolize.h"

/* Whether [a, a + alen) and [b, b + blen) share a byte. */
static inline bool rt_verdict_overlaps(uint64_t a, uint64_t alen, uint64_t b,
				       uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * The innermost frame is a function of an atomic API (Go, C++, Rust;
 * inlined or not).
 */
bool rt_verdict_atomic_frame(const struct rt_frames *f);

/* Both sides are atomic accesses of one object; @go: a Go program. */
bool rt_verdict_atomic_pair(bool go, const struct rt_side_view *a,
			    const struct rt_side_view *b);

/* The stack is the language runtime's own business (@go: a Go program). */
bool rt_verdict_runtime_internal(const struct rt_frames *f, bool go);

/* The trap is pinned on a store that did not touch the watched range. */
bool rt_verdict_misattributed(const struct racetrap_record *rec);

/*
 * A trap at no known site whose possible instructions, @sites (decoded
 * backwards, see rt_symbolizer_sites_ending_at()), are all plain stores
 * missing the watched range by the trapped registers in @dump.
 */
bool rt_verdict_unknown_missed(const struct racetrap_record *rec,
			       const struct racetrap_user_dump *dump,
			       const struct racetrap_site *sites, int nr);

#endif /* RT_VERDICT_H */
