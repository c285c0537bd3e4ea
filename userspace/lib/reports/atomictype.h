/* SPDX-License-Identifier: GPL-2.0 */
/* Whether a memory operand addresses a C11 _Atomic object, by DWARF. */
#ifndef RT_ATOMICTYPE_H
#define RT_ATOMICTYPE_H

#include <stdbool.h>
#include <stdint.h>
#include <elfutils/libdw.h>

/*
 * At @pc of @cu, the @size bytes at [DWARF register @dwreg + @disp]: does
 * a variable or parameter in scope, held in that register, point to an
 * object whose bytes there are an _Atomic object's?
 */
bool rt_atomictype_operand(Dwarf_Die *cu, Dwarf_Addr pc, int dwreg,
			   int64_t disp, unsigned int size);

/*
 * The @size bytes at @addr (a module address: the rip-relative operand
 * of the access at @pc in @cu): are they an _Atomic object's, inside a
 * variable at a fixed address (a static local in scope, a global of any
 * unit)?
 */
bool rt_atomictype_static(Dwarf_Die *cu, Dwarf_Addr pc, Dwarf_Addr addr,
			  unsigned int size);

#endif /* RT_ATOMICTYPE_H */
