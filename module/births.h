/* SPDX-License-Identifier: GPL-2.0 */
/* Thread births in attached targets (the sched_process_fork tracepoint). */
#ifndef _RACETRAP_BIRTHS_H
#define _RACETRAP_BIRTHS_H

void racetrap_births_init(void);
void racetrap_births_exit(void);
void racetrap_births_get(void);
void racetrap_births_put(void);

#endif /* _RACETRAP_BIRTHS_H */
