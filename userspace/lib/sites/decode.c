// SPDX-License-Identifier: GPL-2.0
/*
 * decode: which x86-64 instructions are sampleable memory accesses, and
 * their operand in the form the kernel takes (struct racetrap_site).
 */
#include <errno.h>
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
 * cmpxchg marked as a read-only would let another thread's read of the
 * word through in the window on it.  The
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

/*
 * Stores whose memory operand, their first, Capstone 4 marks as read
 * only: the SSE and AVX moves (movups, movdqa, movq, vmovdqu...),
 * non-temporal stores, movbe, the element extracts, setcc, the x87 and
 * MXCSR stores.  Go zeroes memory with MOVUPS X15 and copies it with
 * MOVOU; gcc -O2 copies structures with movdqu.  Taken for reads, such
 * a store's window watched writes only, and a goroutine window let
 * another goroutine's such store through as a read.  Checked against
 * GNU as for each one (userspace/tests/test_decode.c, and Capstone
 * 4.0.2 on each form).
 */
static bool stores_to_first_operand(unsigned int id)
{
	switch (id) {
	case X86_INS_MOVUPS: case X86_INS_MOVAPS: case X86_INS_MOVUPD:
	case X86_INS_MOVAPD: case X86_INS_MOVDQU: case X86_INS_MOVDQA:
	case X86_INS_MOVQ: case X86_INS_MOVD: case X86_INS_MOVSS:
	case X86_INS_MOVSD: case X86_INS_MOVLPS: case X86_INS_MOVHPS:
	case X86_INS_MOVLPD: case X86_INS_MOVHPD: case X86_INS_MOVNTDQ:
	case X86_INS_MOVNTPS: case X86_INS_MOVNTPD: case X86_INS_MOVNTI:
	case X86_INS_MOVNTQ: case X86_INS_MOVNTSS: case X86_INS_MOVNTSD:
	case X86_INS_MOVBE:
	case X86_INS_PEXTRQ: case X86_INS_PEXTRD: case X86_INS_PEXTRW:
	case X86_INS_PEXTRB: case X86_INS_EXTRACTPS:
	case X86_INS_STMXCSR: case X86_INS_VSTMXCSR:
	case X86_INS_FST: case X86_INS_FSTP: case X86_INS_FIST:
	case X86_INS_FISTP: case X86_INS_FISTTP: case X86_INS_FNSTCW:
	case X86_INS_FNSTSW:
	case X86_INS_VMOVUPS: case X86_INS_VMOVAPS: case X86_INS_VMOVUPD:
	case X86_INS_VMOVAPD: case X86_INS_VMOVDQU: case X86_INS_VMOVDQA:
	case X86_INS_VMOVDQU8: case X86_INS_VMOVDQU16:
	case X86_INS_VMOVDQU32: case X86_INS_VMOVDQU64:
	case X86_INS_VMOVDQA32: case X86_INS_VMOVDQA64:
	case X86_INS_VMOVNTDQ: case X86_INS_VMOVNTPS: case X86_INS_VMOVNTPD:
	case X86_INS_VMOVQ: case X86_INS_VMOVD: case X86_INS_VMOVSS:
	case X86_INS_VMOVSD: case X86_INS_VMOVLPS: case X86_INS_VMOVHPS:
	case X86_INS_VMOVLPD: case X86_INS_VMOVHPD:
	case X86_INS_VPEXTRQ: case X86_INS_VPEXTRD: case X86_INS_VPEXTRW:
	case X86_INS_VPEXTRB: case X86_INS_VEXTRACTPS:
	case X86_INS_VEXTRACTI128: case X86_INS_VEXTRACTF128:
	case X86_INS_VEXTRACTI32X4: case X86_INS_VEXTRACTI64X4:
	case X86_INS_VEXTRACTF32X4: case X86_INS_VEXTRACTF64X4:
	case X86_INS_VPMOVQD: case X86_INS_VPMOVQW: case X86_INS_VPMOVQB:
	case X86_INS_VPMOVDW: case X86_INS_VPMOVDB: case X86_INS_VPMOVSQD:
	case X86_INS_VPMOVSQW: case X86_INS_VPMOVSQB: case X86_INS_VPMOVSDW:
	case X86_INS_VPMOVSDB: case X86_INS_VPMOVUSQD: case X86_INS_VPMOVUSQW:
	case X86_INS_VPMOVUSQB: case X86_INS_VPMOVUSDW: case X86_INS_VPMOVUSDB:
	case X86_INS_VCVTPS2PH: case X86_INS_VCOMPRESSPS:
	case X86_INS_VCOMPRESSPD: case X86_INS_VPCOMPRESSD:
	case X86_INS_VPCOMPRESSQ:
	case X86_INS_KMOVB: case X86_INS_KMOVW: case X86_INS_KMOVD:
	case X86_INS_KMOVQ:
	case X86_INS_SETAE: case X86_INS_SETA: case X86_INS_SETBE:
	case X86_INS_SETB: case X86_INS_SETE: case X86_INS_SETGE:
	case X86_INS_SETG: case X86_INS_SETLE: case X86_INS_SETL:
	case X86_INS_SETNE: case X86_INS_SETNO: case X86_INS_SETNP:
	case X86_INS_SETNS: case X86_INS_SETO: case X86_INS_SETP:
	case X86_INS_SETS:
		return true;
	default:
		return false;
	}
}

/*
 * A store that writes only some lanes of its memory operand: a write
 * mask (an AVX-512 k register beside a memory destination) or AVX's
 * vmaskmov.  The watched word may be a lane it leaves alone, and a
 * window on a write watches reads too: another thread's read of that
 * lane would be reported.  Not a site.
 */
static bool masked_store(const cs_insn *insn, const cs_x86 *x)
{
	switch (insn->id) {
	case X86_INS_VMASKMOVPS: case X86_INS_VMASKMOVPD:
	case X86_INS_VPMASKMOVD: case X86_INS_VPMASKMOVQ:
		return true;
	default:
		break;
	}
	for (int i = 1; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_REG &&
		    x->operands[i].reg >= X86_REG_K0 &&
		    x->operands[i].reg <= X86_REG_K7)
			return true;
	return false;
}

/*
 * Would the kernel's x86 uprobes misread @insn?  Its branch emulation
 * (arch/x86/kernel/uprobes.c, branch_setup_xol_ops(), in 6.1, 6.12 and
 * 6.18) classifies an instruction by its opcode byte alone and ignores a
 * VEX, EVEX or XOP prefix: "vmovdqa %ymm0,(%rdi)" (c5 fd 7f 07) has the
 * opcode byte 0x7f, a jg, so uprobes "emulates" a jump over it and the
 * store never happens.  Go's memmove is full of such stores: one probe on
 * one of them crashed every run of a Go program when the site trigger
 * used uprobes (Documentation/testing.rst, "Go targets crashing under
 * uprobes").  Its execute breakpoints sample such sites like any other,
 * so the flag this sets, RACETRAP_SITE_F_NO_PROBE, is informational now.
 * The bytes uprobes would take for a branch or a nop: jcc rel8
 * (0x70-0x7f), nop (0x90), call (0xe8), jmp (0xe9, 0xeb).
 */
static bool uprobes_misreads(const cs_insn *insn)
{
	static const uint8_t legacy[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
					  0x66, 0x67, 0xf0, 0xf2, 0xf3 };
	const uint8_t *b = insn->bytes;
	size_t i = 0, at;
	uint8_t op;

	while (i < insn->size && memchr(legacy, b[i], sizeof(legacy)))
		i++;
	if (i + 1 >= insn->size)
		return false;
	switch (b[i]) {
	case 0xc5:			/* VEX, 2 bytes */
		at = i + 2;
		break;
	case 0xc4:			/* VEX, 3 bytes */
		at = i + 3;
		break;
	case 0x8f:			/* XOP, unless it is pop r/m */
		if ((b[i + 1] & 0x1f) < 8)
			return false;
		at = i + 3;
		break;
	case 0x62:			/* EVEX (bound is invalid in 64-bit) */
		at = i + 4;
		break;
	default:
		return false;
	}
	if (at >= insn->size)
		return false;
	op = b[at];
	return (op >= 0x70 && op <= 0x7f) || op == 0x90 || op == 0xe8 ||
	       op == 0xe9 || op == 0xeb;
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
	if (mem == &x->operands[0] && masked_store(insn, x))
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
	else if (mem == &x->operands[0] && stores_to_first_operand(insn->id))
		access = RACETRAP_ACCESS_WRITE;
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
	if (uprobes_misreads(insn))
		site->flags |= RACETRAP_SITE_F_NO_PROBE;
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

/* Does @insn touch memory other than through one explicit operand? */
static bool implicit_memory(const cs_insn *insn)
{
	const cs_detail *d = insn->detail;

	switch (insn->id) {
	case X86_INS_STOSB: case X86_INS_STOSW: case X86_INS_STOSD:
	case X86_INS_STOSQ:
		return true;	/* its address register moves on */
	default:
		break;
	}
	for (int i = 0; i < d->regs_read_count; i++)
		if (d->regs_read[i] == X86_REG_RSP)
			return true;	/* push, pop, call, ret, leave */
	for (int i = 0; i < d->regs_write_count; i++)
		if (d->regs_write[i] == X86_REG_RSP)
			return true;
	return false;
}

int rt_decode_sites_ending_at(csh h, const uint8_t *code, size_t len,
			      uint64_t end, struct racetrap_site *sites,
			      int max)
{
	cs_insn *insn = cs_malloc(h);
	int n = 0;

	if (!insn)
		return -ENOMEM;
	for (size_t l = 1; l <= len && l <= 15; l++) {
		const uint8_t *p = code + len - l;
		size_t left = l;
		uint64_t at = end - l;
		struct racetrap_site site;
		bool has_mem = false, is_site;

		if (!cs_disasm_iter(h, &p, &left, &at, insn) || left)
			continue;
		for (int i = 0; i < insn->detail->x86.op_count; i++)
			if (insn->detail->x86.operands[i].type == X86_OP_MEM)
				has_mem = true;
		is_site = rt_decode_site(insn, &site);
		if (implicit_memory(insn) ||
		    (!is_site && has_mem && !no_data_access(insn->id))) {
			n = -EINVAL;
			break;
		}
		if (is_site && n == max) {
			n = -EINVAL;	/* one left unchecked: none judged */
			break;
		}
		if (is_site)
			sites[n++] = site;
	}
	cs_free(insn, 1);
	return n;
}
