// SPDX-License-Identifier: GPL-2.0
/* elffuncs: FUNC symbols of an ELF file as sorted address ranges. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elffuncs.h"

static int by_start(const void *a, const void *b)
{
	const struct rt_func *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* Among aliases keep the largest, then a stable name order. */
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return strcmp(x->name, y->name);
}

Elf_Scn *rt_elf_symtab(Elf *elf, GElf_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

int rt_funcs_load(Elf *elf, struct rt_funcs *out)
{
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf_Data *data;
	size_t n, kept = 0;

	memset(out, 0, sizeof(*out));
	scn = rt_elf_symtab(elf, SHT_SYMTAB, &sh);
	if (!scn)
		scn = rt_elf_symtab(elf, SHT_DYNSYM, &sh);
	if (!scn || !sh.sh_entsize)
		return 0;
	data = elf_getdata(scn, NULL);
	if (!data)
		return 0;
	n = sh.sh_size / sh.sh_entsize;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || sym.st_size == 0)
			continue;
		name = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		out->v[kept].start = sym.st_value;
		out->v[kept].end = sym.st_value + sym.st_size;
		out->v[kept].name = name;
		kept++;
	}
	qsort(out->v, kept, sizeof(*out->v), by_start);
	/* Drop aliases (same start) so every range is decoded once. */
	n = 0;
	for (size_t i = 0; i < kept; i++)
		if (!n || out->v[i].start != out->v[n - 1].start)
			out->v[n++] = out->v[i];
	out->n = n;
	return 0;
}

void rt_funcs_free(struct rt_funcs *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

Elf_Scn *rt_elf_section(Elf *elf, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, sh))
			continue;
		n = elf_strptr(elf, shstrndx, sh->sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}
