/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Status files: the kernel has no ioctl that lists every attachment, so
 * each racetrap client (racetrap attach/run, racetrapd) keeps one small
 * file per target in RT_STATUS_DIR, refreshed every second and removed
 * when it detaches; `racetrap status` reads them.  A file whose owner
 * process is gone is stale and ignored.
 *
 * Format: "key value" lines: owner PID, owner_comm, target PID, comm,
 * started (Unix time), updated, then "stat NAME VALUE" for every kernel
 * counter and "count NAME VALUE" for the analyzer's.
 */
#ifndef RT_STATUSFILE_H
#define RT_STATUSFILE_H

#include <stddef.h>
#include <sys/types.h>

#define RT_STATUS_DIR "/run/racetrap"

/* RT_STATUS_DIR, or $RACETRAP_STATUS_DIR if set (tests). */
const char *rt_status_dir(void);

/* Write (atomically replace) the status file of @target from @text. */
int rt_status_write(pid_t target, const char *text);
void rt_status_remove(pid_t target);

#endif /* RT_STATUSFILE_H */
