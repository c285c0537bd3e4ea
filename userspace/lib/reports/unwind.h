/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unwinding a stack dump (struct racetrap_user_dump: registers and a
 * slice of the stack the kernel copied) through the modules' CFI
 * (.eh_frame, .debug_frame) with libdwfl, for code built without frame
 * pointers: the way perf's libdw unwinder treats PERF_SAMPLE_REGS_USER
 * and PERF_SAMPLE_STACK_USER.
 */
#ifndef RT_UNWIND_H
#define RT_UNWIND_H

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

struct rt_unwinder;

/*
 * An unwinder over @dwfl's modules (reported already).  It attaches its
 * thread callbacks to @dwfl, which can then serve no other process
 * state.  NULL when out of memory.
 */
struct rt_unwinder *rt_unwinder_new(Dwfl *dwfl);
void rt_unwinder_free(struct rt_unwinder *u);

/*
 * Unwind @d, the dump of thread @tid: writes up to @max program counters
 * to @pcs, innermost first: @pcs[0] is the dump's RIP, the rest are
 * return addresses.  Returns how many; 0 when nothing could be unwound.
 */
size_t rt_unwind(struct rt_unwinder *u, pid_t tid,
		 const struct racetrap_user_dump *d, uint64_t *pcs, size_t max);

#endif /* RT_UNWIND_H */
