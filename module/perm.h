/* SPDX-License-Identifier: GPL-2.0 */
/* Who may attach to whom: the ptrace-attach rule, rebuilt. */
#ifndef _RACETRAP_PERM_H
#define _RACETRAP_PERM_H

struct task_struct;

int racetrap_may_attach(struct task_struct *task);

#endif /* _RACETRAP_PERM_H */
