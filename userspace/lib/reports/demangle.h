/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Language names in reports: DWARF's DW_AT_name of a method is only
 * "push_back"; the linkage name demangled is
 * "std::vector<int>::push_back(int const&)", what TSan prints.  Rust
 * (legacy and v0 mangling) and D names too, with libiberty's demangler
 * (Debian's libiberty-dev, the one binutils uses).
 */
#ifndef RT_DEMANGLE_H
#define RT_DEMANGLE_H

#include <stdbool.h>

/* The demangled form of a C++, Rust or D name (malloc'ed), or NULL. */
char *rt_demangle(const char *mangled);

#endif /* RT_DEMANGLE_H */
