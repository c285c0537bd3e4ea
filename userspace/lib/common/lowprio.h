/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lowprio: set-up work (decoding a target's code, loading its symbols)
 * run at the lowest priority, so that attaching does not compete with
 * the target it is about to sample.
 */
#ifndef RT_LOWPRIO_H
#define RT_LOWPRIO_H

/* The nice value the work runs at. */
#define RT_LOWPRIO_NICE 19

/*
 * Run @fn(@arg) in one thread at nice RT_LOWPRIO_NICE and wait for it;
 * returns what @fn returns.  The caller's own priority is untouched (Linux
 * keeps a nice value per thread).  Where no thread can be made, @fn runs
 * in the caller's thread, at its priority.
 */
int rt_run_lowprio(int (*fn)(void *), void *arg);

#endif /* RT_LOWPRIO_H */
