/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions of an ELF file from its symbol table (.symtab, else
 * .dynsym): address ranges and names, for choosing what to sample; and
 * its sections by name.
 */
#ifndef RT_ELFFUNCS_H
#define RT_ELFFUNCS_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

struct rt_func {
	uint64_t start, end;	/* ELF virtual addresses, [start, end) */
	const char *name;	/* points into the ELF's string table */
};

struct rt_funcs {
	struct rt_func *v;	/* sorted by start, aliases removed */
	size_t n;
};

/* Returns 0 (possibly with no functions: a stripped file) or -ENOMEM. */
int rt_funcs_load(Elf *elf, struct rt_funcs *out);
void rt_funcs_free(struct rt_funcs *f);

/*
 * The first symbol table of @type (SHT_SYMTAB, SHT_DYNSYM), its header
 * in *@sh; NULL if there is none.
 */
Elf_Scn *rt_elf_symtab(Elf *elf, GElf_Word type, GElf_Shdr *sh);

/* The section named @name, its header in *@sh; NULL if there is none. */
Elf_Scn *rt_elf_section(Elf *elf, const char *name, GElf_Shdr *sh);

#endif /* RT_ELFFUNCS_H */
