// SPDX-License-Identifier: GPL-2.0
/*
 * atomictype: is a memory operand a C11 _Atomic object, by DWARF?  C11's
 * atomic loads and its release and relaxed stores are plain MOVs, and
 * atomic_load_explicit() is a macro that leaves no frame, so only the
 * type of what the operand addresses tells a release/acquire pair from a
 * race (Documentation/engine.rst, "Atomic pairs").  At the access's pc, a
 * variable or parameter in scope whose location is the operand's base
 * register, of type pointer to T; the accessed bytes, at the displacement
 * into T (through struct and union members and array elements), lie
 * within one object whose type is _Atomic-qualified (DW_TAG_atomic_type,
 * through typedefs such as atomic_int).  Every access to such an object
 * in C is atomic.  Only what gcc's location lists say: a pointer kept on
 * the stack, or computed (DW_OP_breg, pieces), is not followed, and the
 * pair stays a race.  A rip-relative operand addresses a variable at a
 * fixed address (DW_OP_addr): a global or a static local.
 */
#include <dwarf.h>
#include <stdlib.h>

#include "atomictype.h"

#define MAX_DEPTH	8	/* nested members and arrays followed */

static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &a),
				 out) != NULL;
}

/*
 * Through typedefs and qualifiers to the type itself; *@atomic is set if
 * one of them was _Atomic.  NULL if a reference is broken.
 */
static Dwarf_Die *peel(Dwarf_Die *die, bool *atomic)
{
	for (int i = 0; i < 16; i++) {
		switch (dwarf_tag(die)) {
		case DW_TAG_atomic_type:
			*atomic = true;
			break;
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
			break;
		default:
			return die;
		}
		if (!type_of(die, die))
			return NULL;
	}
	return NULL;
}

static bool member_offset(Dwarf_Die *m, bool in_union, Dwarf_Word *off)
{
	Dwarf_Attribute a;

	*off = 0;
	if (!dwarf_attr(m, DW_AT_data_member_location, &a))
		return in_union;
	return dwarf_formudata(&a, off) == 0;
}

/* Are bytes [@off, @off + @size) of an object of @type in an _Atomic one? */
static bool atomic_at(Dwarf_Die *type, Dwarf_Word off, unsigned int size,
		      int depth)
{
	Dwarf_Die buf = *type, child, *t;
	Dwarf_Word tsize;
	bool atomic = false, in_union;

	t = peel(&buf, &atomic);
	if (!t || depth > MAX_DEPTH || dwarf_aggregate_size(t, &tsize) ||
	    off + size > tsize)
		return false;
	if (atomic)
		return true;
	switch (dwarf_tag(t)) {
	case DW_TAG_array_type: {
		Dwarf_Word esize;

		if (!type_of(t, &child) || dwarf_aggregate_size(&child, &esize) ||
		    !esize)
			return false;
		return atomic_at(&child, off % esize, size, depth + 1);
	}
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		break;
	default:
		return false;
	}
	in_union = dwarf_tag(t) == DW_TAG_union_type;
	if (dwarf_child(t, &child) != 0)
		return false;
	do {
		Dwarf_Die mtype;
		Dwarf_Word moff, msize;

		if (dwarf_tag(&child) != DW_TAG_member ||
		    !member_offset(&child, in_union, &moff) ||
		    !type_of(&child, &mtype) ||
		    dwarf_aggregate_size(&mtype, &msize) ||
		    off < moff || off + size > moff + msize)
			continue;
		if (atomic_at(&mtype, off - moff, size, depth + 1))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* Is @die (a variable or parameter) in DWARF register @dwreg at @pc? */
static bool in_register(Dwarf_Die *die, Dwarf_Addr pc, int dwreg)
{
	Dwarf_Attribute a;
	Dwarf_Op *expr;
	size_t len;
	unsigned int atom;

	if (!dwarf_attr(die, DW_AT_location, &a) ||
	    dwarf_getlocation_addr(&a, pc, &expr, &len, 1) != 1 || len != 1)
		return false;
	atom = expr[0].atom;
	if (atom >= DW_OP_reg0 && atom <= DW_OP_reg31)
		return (int)(atom - DW_OP_reg0) == dwreg;
	return atom == DW_OP_regx && (int)expr[0].number == dwreg;
}

/*
 * What an access addresses: [@dwreg + @disp] at @pc, or (@dwreg < 0) the
 * fixed module address @addr; @size bytes.
 */
struct query {
	Dwarf_Addr pc, addr;
	int dwreg;
	int64_t disp;
	unsigned int size;
};

/* A pointer variable in @q's register whose target holds the bytes. */
static bool points_to_atomic(Dwarf_Die *var, const struct query *q)
{
	Dwarf_Die type, *t;
	bool atomic = false;

	if (!in_register(var, q->pc, q->dwreg) || !type_of(var, &type))
		return false;
	t = peel(&type, &atomic);
	return t && dwarf_tag(t) == DW_TAG_pointer_type && type_of(t, &type) &&
	       atomic_at(&type, (Dwarf_Word)q->disp, q->size, 0);
}

/* A variable at a fixed address that holds @q's bytes, atomic. */
static bool holds_atomic(Dwarf_Die *var, const struct query *q)
{
	Dwarf_Attribute a;
	Dwarf_Die type;
	Dwarf_Op *expr;
	size_t len;

	return dwarf_attr(var, DW_AT_location, &a) &&
	       dwarf_getlocation(&a, &expr, &len) == 0 && len == 1 &&
	       expr[0].atom == DW_OP_addr && q->addr >= expr[0].number &&
	       type_of(var, &type) &&
	       atomic_at(&type, q->addr - expr[0].number, q->size, 0);
}

static bool children_atomic(Dwarf_Die *parent, const struct query *q)
{
	Dwarf_Die child;

	if (dwarf_child(parent, &child) != 0)
		return false;
	do {
		int tag = dwarf_tag(&child);

		if (tag != DW_TAG_variable &&
		    (q->dwreg < 0 || tag != DW_TAG_formal_parameter))
			continue;
		if (q->dwreg < 0 ? holds_atomic(&child, q) :
				   points_to_atomic(&child, q))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* The scopes at @q's pc, innermost first, out to the unit's globals. */
static bool scopes_atomic(Dwarf_Die *cu, const struct query *q)
{
	Dwarf_Die *scopes = NULL;
	bool found = false;
	int n = dwarf_getscopes(cu, q->pc, &scopes);

	for (int i = 0; i < n && !found; i++)
		found = children_atomic(&scopes[i], q);
	free(scopes);
	return found;
}

bool rt_atomictype_static(Dwarf_Die *cu, Dwarf_Addr pc, Dwarf_Addr addr,
			  unsigned int size)
{
	const struct query q = { .pc = pc, .addr = addr, .dwreg = -1,
				 .size = size };
	Dwarf *dw = dwarf_cu_getdwarf(cu->cu);
	Dwarf_Off off = 0, next;
	Dwarf_Die unit;
	bool found;
	size_t hsize;

	if (!size)
		return false;
	found = scopes_atomic(cu, &q);
	/* An extern defined in another unit. */
	while (!found && dw &&
	       dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, &unit))
			found = children_atomic(&unit, &q);
		off = next;
	}
	return found;
}

bool rt_atomictype_operand(Dwarf_Die *cu, Dwarf_Addr pc, int dwreg,
			   int64_t disp, unsigned int size)
{
	const struct query q = { .pc = pc, .dwreg = dwreg, .disp = disp,
				 .size = size };

	return dwreg >= 0 && disp >= 0 && size && scopes_atomic(cu, &q);
}
