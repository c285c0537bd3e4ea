// SPDX-License-Identifier: GPL-2.0
/*
 * raceless: read-only sections and runtime-owned variables of an ELF
 * file, as sorted address ranges.
 *
 * A sample of an access to them spends a window that can only end
 * empty (nothing writes .rodata) or with a trap the reports filter (the
 * runtime's own writes): in a Go program a per-request function tests
 * runtime.writeBarrier before every pointer store, and those reads drew
 * goroutine windows that trapped on the runtime's next read of the flag,
 * 157 of 164 traps in three 20 s runs of a held-out program in the VM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elffuncs.h"
#include "grow.h"
#include "langrt.h"
#include "raceless.h"

static int push(struct rt_raceless *r, size_t *cap, uint64_t start,
		uint64_t end)
{
	if (start >= end)
		return 0;
	if (rt_grow((void **)&r->v, cap, r->n, sizeof(r->v[0])))
		return -ENOMEM;
	r->v[r->n].start = start;
	r->v[r->n].end = end;
	r->n++;
	return 0;
}

/* Allocated sections that are neither writable nor code. */
static int add_read_only(Elf *elf, struct rt_raceless *r, size_t *cap)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) ||
		    sh.sh_type == SHT_NOBITS)
			continue;
		if (push(r, cap, sh.sh_addr, sh.sh_addr + sh.sh_size))
			return -ENOMEM;
	}
	return 0;
}

/* The runtime's variables, from the symbol table. */
static int add_runtime_data(Elf *elf, bool go, struct rt_raceless *r,
			    size_t *cap)
{
	Elf_Data *data;
	GElf_Shdr sh;
	Elf_Scn *scn = rt_elf_symtab(elf, SHT_SYMTAB, &sh);
	size_t n;

	if (!scn || !sh.sh_entsize || !(data = elf_getdata(scn, NULL)))
		return 0;
	n = sh.sh_size / sh.sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_OBJECT ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_size)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (rt_langrt_is_internal_data(name, go) &&
		    push(r, cap, sym.st_value, sym.st_value + sym.st_size))
			return -ENOMEM;
	}
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct rt_raceless_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

int rt_raceless_load(Elf *elf, bool go, struct rt_raceless *out)
{
	size_t cap = 0, n = 0;

	memset(out, 0, sizeof(*out));
	if (add_read_only(elf, out, &cap) ||
	    add_runtime_data(elf, go, out, &cap)) {
		rt_raceless_free(out);
		return -ENOMEM;
	}
	if (!out->n)
		return 0;
	/* Merge overlaps (a symbol inside a section), so lookups bisect. */
	qsort(out->v, out->n, sizeof(*out->v), by_start);
	for (size_t i = 1; i < out->n; i++) {
		if (out->v[i].start <= out->v[n].end) {
			if (out->v[i].end > out->v[n].end)
				out->v[n].end = out->v[i].end;
			continue;
		}
		out->v[++n] = out->v[i];
	}
	out->n = n + 1;
	return 0;
}

void rt_raceless_free(struct rt_raceless *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

bool rt_raceless_has(const struct rt_raceless *r, uint64_t addr,
		     uint64_t size)
{
	size_t lo = 0, hi = r->n;

	if (!size || addr + size < addr)
		return false;
	/* The last range starting at or before @addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && addr + size <= r->v[lo - 1].end;
}
