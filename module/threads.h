/* SPDX-License-Identifier: GPL-2.0 */
/* The threads the site trigger arms: all of them, or the likeliest to run. */
#ifndef _RACETRAP_THREADS_H
#define _RACETRAP_THREADS_H

struct task_struct;

struct task_struct **racetrap_threads(struct task_struct *task,
				      struct task_struct *skip,
				      unsigned int max, unsigned int *nr,
				      unsigned int *left);
void racetrap_put_threads(struct task_struct **tasks, unsigned int nr);

#endif /* _RACETRAP_THREADS_H */
