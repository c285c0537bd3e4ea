/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Language-runtime internals: functions whose memory accesses are the
 * runtime's own business (Go's scheduler, garbage collector, allocator;
 * C's startup code).  They are left out of the default sampling universe
 * and a hit in them is filtered from the reports, because such a runtime
 * synchronises with itself in ways an uninstrumented binary does not show
 * (GC mark workers read heap objects while the program writes them).
 */
#ifndef RT_LANGRT_H
#define RT_LANGRT_H

#include <stdbool.h>

/*
 * True if @func (a symbol or DWARF name) is runtime-internal; @go: the
 * program is a Go one, which adds Go's runtime code named outside
 * package runtime.
 */
bool rt_langrt_is_internal(const char *func, bool go);

/*
 * True if the variable @var (a data symbol's name) is written only by
 * the language runtime, so that no access to it is the program's race.
 * Only Go's are known (@go).
 */
bool rt_langrt_is_internal_data(const char *var, bool go);

/*
 * True if @func belongs to a runtime but works on user data (Go map
 * access, slice growth, memmove): races on user maps and slices execute
 * there, so it stays sampled and reported.
 */
bool rt_langrt_is_user_data(const char *func);

#endif /* RT_LANGRT_H */
