// SPDX-License-Identifier: GPL-2.0
/*
 * decode: Capstone over an ELF file's executable sections, one function
 * at a time, into the site table RACETRAP_IOC_ADD_SITES takes.
 */
#include <errno.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildid.h"
#include "decode.h"
#include "goabi.h"
#include "elffuncs.h"
#include "langrt.h"
#include "sitecache.h"
#include "sites.h"

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

/* A growing array of sites. */
struct site_vec {
	struct racetrap_site *v;
	size_t n, cap;
};

static int push(struct site_vec *sv, const struct racetrap_site *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 1024;
		struct racetrap_site *v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = *s;
	return 0;
}

static bool match_any(const char **pats, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pats[i], name, 0) == 0)
			return true;
	return false;
}

/* The sampling universe by function name. */
bool rt_decode_func_selected(const struct rt_sites_opts *o, const char *name)
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
	if (!included && !(o && o->keep_runtime) && rt_langrt_is_internal(name))
		return false;
	return true;
}

/*
 * Decode [lo, hi) of one section; @sec_addr/@sec_off place it.  @go: a Go
 * executable, whose R14 holds the running goroutine's g (register ABI,
 * Go 1.17+): what is read through it (the stack bound every function
 * entry checks, preemption flags) is the goroutine's own runtime state,
 * never a user data race, and it was a large share of a Go program's
 * sites, each a window spent for nothing.
 */
static int decode_range(csh h, cs_insn *insn, const uint8_t *buf,
			uint64_t sec_addr, uint64_t sec_off, uint64_t lo,
			uint64_t hi, bool resync, bool go, struct site_vec *out)
{
	const uint8_t *code = buf + (lo - sec_addr);
	size_t len = hi - lo;
	uint64_t addr = lo;
	struct racetrap_site site;

	while (len) {
		uint64_t at = addr;

		if (!cs_disasm_iter(h, &code, &len, &addr, insn)) {
			/* Undecodable bytes: data or padding. */
			if (!resync)
				break;
			code++;
			len--;
			addr++;
			continue;
		}
		if (!rt_decode_site(insn, &site) ||
		    (go && site.base == RACETRAP_REG_R14))
			continue;
		site.offset = sec_off + (at - sec_addr);
		if (push(out, &site))
			return -ENOMEM;
	}
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	const struct racetrap_site *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int decode_elf(Elf *elf, const struct rt_sites_opts *opts,
		      struct site_vec *out, char *err, size_t errlen)
{
	bool go = rt_goabi_elf_is_go(elf);
	struct rt_funcs funcs;
	Elf_Scn *scn = NULL;
	cs_insn *insn;
	csh h;
	int ret = 0;

	if (rt_funcs_load(elf, &funcs))
		return -ENOMEM;
	if (rt_decode_open(&h)) {
		rt_funcs_free(&funcs);
		snprintf(err, errlen, "cannot open the Capstone x86-64 decoder");
		return -ENOMEM;
	}
	insn = cs_malloc(h);
	if (!insn) {
		ret = -ENOMEM;
		goto out;
	}
	while (!ret && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		uint64_t lo, hi;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) || !sh.sh_size)
			continue;
		data = elf_rawdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size < sh.sh_size)
			continue;
		lo = sh.sh_addr;
		hi = sh.sh_addr + sh.sh_size;
		if (!funcs.n) {
			/* Stripped: no names to choose by, take it all. */
			if (opts && opts->nr_include_funcs)
				continue;
			ret = decode_range(h, insn, data->d_buf, lo, sh.sh_offset,
					   lo, hi, true, go, out);
			continue;
		}
		/*
		 * Decode each function from its entry, where decoding is in
		 * sync; code outside any function (PLT stubs) is not sampled.
		 */
		for (size_t i = 0; !ret && i < funcs.n; i++) {
			const struct rt_func *f = &funcs.v[i];
			uint64_t a = f->start > lo ? f->start : lo;
			uint64_t b = f->end < hi ? f->end : hi;

			if (a >= b || !rt_decode_func_selected(opts, f->name))
				continue;
			ret = decode_range(h, insn, data->d_buf, lo,
					   sh.sh_offset, a, b, false, go, out);
		}
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory decoding sites");
	cs_free(insn, 1);
out:
	cs_close(&h);
	rt_funcs_free(&funcs);
	return ret;
}

/* Sorted, and no two instructions overlapping (nested symbols). */
static void sort_unique(struct site_vec *sv)
{
	size_t n = 0;

	qsort(sv->v, sv->n, sizeof(*sv->v), by_offset);
	for (size_t i = 0; i < sv->n; i++) {
		if (n && sv->v[i].offset < sv->v[n - 1].offset + sv->v[n - 1].len)
			continue;
		sv->v[n++] = sv->v[i];
	}
	sv->n = n;
}

int rt_sites_decode_file(int fd, const struct rt_sites_opts *opts,
			 struct rt_site_table *out, char *err, size_t errlen)
{
	struct site_vec sv = { 0 };
	bool cacheable;
	struct stat st;
	GElf_Ehdr eh;
	Elf *elf;
	int ret;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		snprintf(err, errlen, "not an ELF file: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "not an x86-64 ELF file");
		ret = -ENOEXEC;
		goto out;
	}
	rt_build_id(elf, out->build_id);
	cacheable = fstat(fd, &st) == 0;
	if (cacheable && rt_sitecache_load(opts, out->build_id, &st,
					   &out->sites, &out->nr_sites) == 0) {
		ret = 0;
		goto out;
	}
	ret = decode_elf(elf, opts, &sv, err, errlen);
	if (ret) {
		free(sv.v);
		goto out;
	}
	sort_unique(&sv);
	out->sites = sv.v;
	out->nr_sites = sv.n;
	if (cacheable)
		rt_sitecache_store(opts, out->build_id, &st, out->sites,
				   out->nr_sites);
out:
	elf_end(elf);
	return ret;
}

void rt_site_table_release(struct rt_site_table *table)
{
	free(table->sites);
	if (table->fd >= 0)
		close(table->fd);
	memset(table, 0, sizeof(*table));
	table->fd = -1;
}
