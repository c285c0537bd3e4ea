// SPDX-License-Identifier: GPL-2.0
/* universe: which functions are sampled, by their names. */
#include <fnmatch.h>

#include "langrt.h"
#include "universe.h"

static bool match_any(const char **pats, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pats[i], name, 0) == 0)
			return true;
	return false;
}

bool rt_universe_has_func(const struct rt_sites_opts *o, const char *name,
			  bool go)
{
	bool included = false;

	if (o && o->nr_include_funcs) {
		included = match_any(o->include_funcs, o->nr_include_funcs,
				     name);
		if (!included)
			return false;
	}
	if (o && match_any(o->exclude_funcs, o->nr_exclude_funcs, name))
		return false;
	/* Naming a runtime function explicitly is asking for it. */
	if (!included && !(o && o->keep_runtime) &&
	    rt_langrt_is_internal(name, go))
		return false;
	return true;
}
