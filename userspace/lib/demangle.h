/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C++ names in reports: DWARF's DW_AT_name of a method is only "push_back";
 * the linkage name demangled is "std::vector<int>::push_back(int const&)",
 * what TSan prints.  The demangler is libstdc++'s, loaded on first use so
 * racetrap does not link C++ for C-only hosts.
 */
#ifndef RT_DEMANGLE_H
#define RT_DEMANGLE_H

/* The demangled form of an Itanium-ABI name (malloc'ed), or NULL. */
char *rt_demangle(const char *mangled);

#endif /* RT_DEMANGLE_H */
