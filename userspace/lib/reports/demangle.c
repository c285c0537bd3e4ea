// SPDX-License-Identifier: GPL-2.0
/* demangle: C++, Rust and D symbol names through libiberty. */
#include <stddef.h>
#include <string.h>
#include <libiberty/demangle.h>

#include "demangle.h"

/* Only names a demangler claims: a C function stays as it is. */
static bool mangled_prefix(const char *s)
{
	return !strncmp(s, "_Z", 2) || !strncmp(s, "_R", 2) ||
	       !strncmp(s, "_D", 2);
}

char *rt_demangle(const char *mangled)
{
	/* Rust first: a legacy Rust name is also valid Itanium C++, which
	 * would keep its "::h0123456789abcdef" hash.  One style per call:
	 * with DMGL_RUST set, cplus_demangle tries nothing after Rust. */
	static const int styles[] = { DMGL_RUST, DMGL_GNU_V3, DMGL_DLANG };
	char *out = NULL;
	size_t i;

	if (!mangled || !mangled_prefix(mangled))
		return NULL;
	for (i = 0; !out && i < sizeof(styles) / sizeof(styles[0]); i++)
		out = cplus_demangle(mangled, DMGL_PARAMS | DMGL_ANSI | styles[i]);
	return out;
}
