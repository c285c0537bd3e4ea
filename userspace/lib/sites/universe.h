/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sampling universe by function name: include globs narrow it,
 * exclude globs remove from it, and language-runtime internals are out
 * unless keep_runtime or named by an include.
 */
#ifndef RT_UNIVERSE_H
#define RT_UNIVERSE_H

#include <stdbool.h>

#include "sites.h"

/*
 * Whether function @name is in the universe @o (NULL: defaults) of a
 * file that is a Go program's (@go) or not.
 */
bool rt_universe_has_func(const struct rt_sites_opts *o, const char *name,
			  bool go);

#endif /* RT_UNIVERSE_H */
