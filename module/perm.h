/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may attach to whom: ptrace's rule, proven by a /proc/PID/mem fd;
 * who may use the clock trigger: perf's rule.
 */
#ifndef _RACETRAP_PERM_H
#define _RACETRAP_PERM_H

#include <linux/types.h>

struct file;
struct mm_struct;
struct task_struct;

struct file *racetrap_perm_get(int fd);
int racetrap_perm_check(struct file *mem_file, struct mm_struct *mm);
void racetrap_perm_put(struct file *mem_file);

int racetrap_perm_clock(struct task_struct *task, bool has_fd, int perf_fd);

#endif /* _RACETRAP_PERM_H */
