/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perfperm: the proof that this caller may use the clock trigger, a perf
 * event it opens on the target (uapi/linux/racetrap.h, RACETRAP_IOC_ATTACH).
 */
#ifndef RT_PERFPERM_H
#define RT_PERFPERM_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A user-mode cpu-clock event on @pid, opened disabled (it never counts):
 * its descriptor, or -1 with errno from perf_event_open().
 */
int rt_perf_proof_open(pid_t pid);

/*
 * Whether the module will let this caller use the clock trigger on @pid:
 * perf lets it open that event, or it has CAP_PERFMON (or CAP_SYS_ADMIN).
 */
int rt_perf_allowed(pid_t pid);

/*
 * Why the clock trigger is not allowed and what to do, for a message:
 * "perf_event_paranoid is 3 and this user has no CAP_PERFMON".
 */
void rt_perf_refusal(char *buf, size_t len);

#endif /* RT_PERFPERM_H */
