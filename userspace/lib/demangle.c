// SPDX-License-Identifier: GPL-2.0
/* demangle: C++ symbol names through libstdc++'s __cxa_demangle. */
#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "demangle.h"

typedef char *(*cxa_demangle_fn)(const char *, char *, size_t *, int *);

static cxa_demangle_fn find_demangler(void)
{
	static cxa_demangle_fn fn;
	static bool tried;
	void *h;

	if (tried)
		return fn;
	tried = true;
	/* Already loaded (a C++ host program), else libstdc++ if installed. */
	fn = (cxa_demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
	if (!fn) {
		h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
		if (h)
			fn = (cxa_demangle_fn)dlsym(h, "__cxa_demangle");
	}
	return fn;
}

char *rt_demangle(const char *mangled)
{
	cxa_demangle_fn fn;
	int status = -1;
	char *out;

	if (!mangled || strncmp(mangled, "_Z", 2))
		return NULL;
	fn = find_demangler();
	if (!fn)
		return NULL;
	out = fn(mangled, NULL, NULL, &status);
	return status == 0 ? out : NULL;
}
