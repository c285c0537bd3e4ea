// SPDX-License-Identifier: GPL-2.0
/*
 * decode: which x86-64 instructions are sampleable memory accesses, and
 * their operand in the form the kernel takes (struct racetrap_site).
 */
#include <string.h>

#include "decode.h"

int rt_decode_open(csh *h)
{
	if (cs_open(CS_ARCH_X86, CS_MODE_64, h) != CS_ERR_OK)
		return -1;
	cs_option(*h, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

static uint8_t reg64(x86_reg r)
{
	switch (r) {
	case X86_REG_INVALID: return RACETRAP_REG_NONE;
	case X86_REG_RAX: return RACETRAP_REG_RAX;
	case X86_REG_RCX: return RACETRAP_REG_RCX;
	case X86_REG_RDX: return RACETRAP_REG_RDX;
	case X86_REG_RBX: return RACETRAP_REG_RBX;
	case X86_REG_RSP: return RACETRAP_REG_RSP;
	case X86_REG_RBP: return RACETRAP_REG_RBP;
	case X86_REG_RSI: return RACETRAP_REG_RSI;
	case X86_REG_RDI: return RACETRAP_REG_RDI;
	case X86_REG_R8: return RACETRAP_REG_R8;
	case X86_REG_R9: return RACETRAP_REG_R9;
	case X86_REG_R10: return RACETRAP_REG_R10;
	case X86_REG_R11: return RACETRAP_REG_R11;
	case X86_REG_R12: return RACETRAP_REG_R12;
	case X86_REG_R13: return RACETRAP_REG_R13;
	case X86_REG_R14: return RACETRAP_REG_R14;
	case X86_REG_R15: return RACETRAP_REG_R15;
	case X86_REG_RIP: return RACETRAP_REG_RIP;
	default: return __RACETRAP_REG_LAST;	/* not expressible */
	}
}

/* Instructions whose memory operand is not a data access. */
static bool no_data_access(unsigned int id)
{
	switch (id) {
	case X86_INS_LEA:
	case X86_INS_NOP:
	case X86_INS_PREFETCH:
	case X86_INS_PREFETCHNTA:
	case X86_INS_PREFETCHT0:
	case X86_INS_PREFETCHT1:
	case X86_INS_PREFETCHT2:
	case X86_INS_PREFETCHW:
	case X86_INS_CLFLUSH:
	case X86_INS_CLFLUSHOPT:
	case X86_INS_CLWB:
		return true;
	default:
		return false;
	}
}

/*
 * Capstone 4's operand access is wrong for a few instructions, and a
 * wrong kind means wrong reports: "test byte [mem], 1" marked as a write
 * made two threads' flag tests in Go's memmove look like a race, and
 * cmpxchg marked as a read-only would arm a write-only watchpoint.  The
 * architectural access wins over Capstone's for these; 0 = trust it.
 */
static uint8_t fixed_access(unsigned int id)
{
	switch (id) {
	case X86_INS_TEST:
	case X86_INS_CMP:
	case X86_INS_BT:
	case X86_INS_UCOMISS:
	case X86_INS_UCOMISD:
	case X86_INS_COMISS:
	case X86_INS_COMISD:
	case X86_INS_PTEST:
	case X86_INS_VPTEST:
		return RACETRAP_ACCESS_READ;
	case X86_INS_CMPXCHG:
	case X86_INS_CMPXCHG8B:
	case X86_INS_CMPXCHG16B:
		return RACETRAP_ACCESS_RMW;
	default:
		return 0;
	}
}

bool rt_decode_site(const cs_insn *insn, struct racetrap_site *site)
{
	const cs_x86 *x;
	const cs_x86_op *mem = NULL;
	uint8_t base, index, access = 0;

	if (!insn->detail || no_data_access(insn->id))
		return false;
	x = &insn->detail->x86;
	for (int i = 0; i < x->op_count; i++) {
		if (x->operands[i].type != X86_OP_MEM)
			continue;
		if (mem)
			return false;	/* movs, cmps: two addresses */
		mem = &x->operands[i];
	}
	if (!mem)
		return false;
	if (mem->mem.segment == X86_REG_FS || mem->mem.segment == X86_REG_GS)
		return false;
	base = reg64(mem->mem.base);
	index = reg64(mem->mem.index);
	if (base == __RACETRAP_REG_LAST || index == __RACETRAP_REG_LAST ||
	    index == RACETRAP_REG_RIP)
		return false;
	if (base == RACETRAP_REG_RSP || index == RACETRAP_REG_RSP)
		return false;
	if (mem->mem.disp < INT32_MIN || mem->mem.disp > INT32_MAX)
		return false;	/* movabs with a 64-bit absolute address */
	switch (mem->size) {
	case 1: case 2: case 4: case 8: case 16: case 32: case 64:
		break;
	default:
		return false;	/* x87 80-bit, fxsave areas, unknown */
	}
	if (mem->access & CS_AC_READ)
		access |= RACETRAP_ACCESS_READ;
	if (mem->access & CS_AC_WRITE)
		access |= RACETRAP_ACCESS_WRITE;
	if (fixed_access(insn->id))
		access = fixed_access(insn->id);
	if (!access)
		return false;
	memset(site, 0, sizeof(*site));
	site->len = insn->size;
	site->base = base;
	site->index = index;
	site->scale = index ? (uint8_t)mem->mem.scale : 0;
	site->disp = (int32_t)mem->mem.disp;
	site->size = mem->size;
	site->access = access;
	if (x->prefix[0] == X86_PREFIX_LOCK || insn->id == X86_INS_XCHG)
		site->flags |= RACETRAP_SITE_F_LOCKED;
	return true;
}

bool rt_decode_insn_ending_at(csh h, const uint8_t *code, size_t len,
			      uint64_t addr, uint64_t end, uint64_t *start,
			      struct racetrap_site *site, bool *is_site)
{
	cs_insn *insn = cs_malloc(h);
	bool found = false;

	if (!insn)
		return false;
	while (len && addr < end) {
		uint64_t at = addr;

		if (!cs_disasm_iter(h, &code, &len, &addr, insn))
			break;
		if (addr == end) {
			*start = at;
			if (site && is_site)
				*is_site = rt_decode_site(insn, site);
			found = true;
		}
	}
	cs_free(insn, 1);
	return found;
}
