/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The release these tools were built from (tools/version.sh) and the
 * module's, so every version message names both sides.
 */
#ifndef RT_VERSION_H
#define RT_VERSION_H

#include <stddef.h>

extern const char rt_version[];

/*
 * The loaded module's release from /sys/module/racetrap/version into
 * @buf, "not loaded", or "unknown" (a module without MODULE_VERSION).
 */
const char *rt_module_version(char *buf, size_t len);

#endif /* RT_VERSION_H */
