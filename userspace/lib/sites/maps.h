/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/maps: the executable file mappings of a process, and a safe
 * way to open the file behind one (the mapping itself, not whatever now
 * sits at its path).
 */
#ifndef RT_MAPS_H
#define RT_MAPS_H

#include <stddef.h>
#include <sys/types.h>

#include "sites.h"

/*
 * The whole of /proc/PID/maps (malloc'ed, *@len bytes), or NULL if it is
 * unreadable (errno says why) or empty (a zombie: errno ESRCH): the one
 * reader of the file, for the
 * symbolizer, which hands it to libdwfl's parser for its module list.
 */
char *rt_maps_snapshot(pid_t pid, size_t *len);

/*
 * Read the executable mappings of regular files of @pid into a malloc'ed
 * array (*@out, *@nr).  Returns 0 or a negative errno.
 */
int rt_maps_read(pid_t pid, struct rt_mapping **out, size_t *nr);

/*
 * Parse one maps line; 1 if it is an executable file mapping (filled
 * into @m), 0 if it is another kind of mapping, -EINVAL if malformed.
 */
int rt_maps_parse_line(const char *line, struct rt_mapping *m);

/*
 * Open the file behind @m read-only: through /proc/PID/map_files first,
 * else through its path, checked against the mapping's device and inode.
 * Returns a descriptor or a negative errno (-ESTALE: the path now names
 * another file).
 */
int rt_maps_open(pid_t pid, const struct rt_mapping *m);

/* The (dev, ino) of /proc/PID/exe, to tell the main executable apart. */
int rt_maps_exe_id(pid_t pid, dev_t *dev, ino_t *ino);

#endif /* RT_MAPS_H */
