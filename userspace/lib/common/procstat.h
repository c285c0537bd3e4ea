/* SPDX-License-Identifier: GPL-2.0 */
/* procstat: numeric fields of /proc/PID/stat. */
#ifndef RT_PROCSTAT_H
#define RT_PROCSTAT_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Fields @first .. @first + @n - 1 of /proc/@pid/stat, numbered as in
 * proc(5) (utime is 14, starttime 22; @first >= 3), into @out.  False if
 * the file cannot be read or has fewer fields.
 */
bool rt_proc_stat_fields(pid_t pid, unsigned int first, unsigned int n,
			 unsigned long long *out);

#endif /* RT_PROCSTAT_H */
