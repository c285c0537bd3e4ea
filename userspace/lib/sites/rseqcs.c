// SPDX-License-Identifier: GPL-2.0
/*
 * rseqcs: no sampling inside restartable sequences.
 *
 * Sampling there is safe: a site breakpoint leaves the thread's ip on
 * the site, so the kernel's rseq fix-up still sees the section
 * (Documentation/engine.rst, "Site sampling").  But a sample there means
 * nothing: the sampled thread is held, so the kernel aborts its section
 * when it resumes and the sampled access never happens, while the other
 * threads on its CPU run the same section on the same per-CPU data, as
 * the protocol intends; the churn soak's churn_rseq was "reported" so
 * under the clock trigger.  So the instructions of every critical
 * section racetrap knows are left out of the site table: never given a
 * breakpoint, never sampled.  A trap there is still named, from the
 * symbols.
 *
 * librseq (and LTTng-UST through it) and tcmalloc emit each section's
 * struct rseq_cs into an ELF section named __rseq_cs, 32-byte aligned:
 * version, flags, start_ip, post_commit_offset, abort_ip; DynamoRIO
 * finds them the same way.  In a PIE or a shared library start_ip has a
 * relative relocation: GNU ld writes its addend into the section too,
 * and when the word is 0 the addend is read from the R_X86_64_RELATIVE
 * entry.  Sections declared no other way (a descriptor built at run
 * time) are not found.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elffuncs.h"
#include "grow.h"
#include "rseqcs.h"

#define RSEQ_CS_SIZE	32	/* struct rseq_cs, as the kernel reads it */
#define RSEQ_CS_MAX_LEN	4096	/* longer is not a critical section */

/* An R_X86_64_RELATIVE relocation: the word at @at gets base + @addend. */
struct relative {
	uint64_t at, addend;
};

static int by_at(const void *a, const void *b)
{
	const struct relative *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * The relative relocations of the words in [@lo, @hi), sorted, read in
 * one pass: looking each section's up among all of a file's relocations
 * made a crafted file with many of both cost minutes (N x M).  0, or
 * -ENOMEM.
 */
static int relatives_in(Elf *elf, uint64_t lo, uint64_t hi,
			struct relative **out, size_t *n)
{
	Elf_Scn *scn = NULL;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;

			if (!gelf_getrela(d, (int)i, &r) || r.r_offset < lo ||
			    r.r_offset >= hi ||
			    GELF_R_TYPE(r.r_info) != R_X86_64_RELATIVE)
				continue;
			if (rt_grow((void **)out, &cap, *n, sizeof(**out))) {
				free(*out);
				*out = NULL;
				*n = 0;
				return -ENOMEM;
			}
			(*out)[(*n)++] = (struct relative){ r.r_offset,
							    (uint64_t)r.r_addend };
		}
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), by_at);
	return 0;
}

/* The addend of the relocation of the word at @vaddr, or 0. */
static uint64_t relative_addend(const struct relative *v, size_t n,
				uint64_t vaddr)
{
	const struct relative key = { vaddr, 0 };
	const struct relative *r = n ? bsearch(&key, v, n, sizeof(*v), by_at) :
				       NULL;

	return r ? r->addend : 0;
}

/* The file offset of code at @vaddr, or -1 when no code section has it. */
static int64_t code_offset(Elf *elf, uint64_t vaddr, uint64_t len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_PROGBITS &&
		    (sh.sh_flags & SHF_EXECINSTR) && vaddr >= sh.sh_addr &&
		    vaddr + len <= sh.sh_addr + sh.sh_size)
			return (int64_t)(sh.sh_offset + (vaddr - sh.sh_addr));
	}
	return -1;
}

static uint64_t word(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));	/* x86-64 reads its own endianness */
	return v;
}

static int by_lo(const void *a, const void *b)
{
	const struct rt_rseq_cs *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

int rt_rseq_cs_load(Elf *elf, struct rt_rseq_cs **out, size_t *n)
{
	struct relative *rel = NULL;
	size_t nr_rel = 0;
	GElf_Shdr sh;
	Elf_Scn *scn = rt_elf_section(elf, "__rseq_cs", &sh);
	Elf_Data *d;
	size_t cap;

	*out = NULL;
	*n = 0;
	if (!scn || sh.sh_type != SHT_PROGBITS ||
	    !(d = elf_rawdata(scn, NULL)) || !d->d_buf || d->d_size < sh.sh_size)
		return 0;
	cap = sh.sh_size / RSEQ_CS_SIZE;
	if (!cap)
		return 0;
	if (relatives_in(elf, sh.sh_addr, sh.sh_addr + sh.sh_size, &rel,
			 &nr_rel))
		return -ENOMEM;
	*out = calloc(cap, sizeof(**out));
	if (!*out) {
		free(rel);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cap; i++) {
		const uint8_t *e = (const uint8_t *)d->d_buf + i * RSEQ_CS_SIZE;
		uint64_t start = word(e + 8), len = word(e + 16);
		int64_t off;

		if (word(e) != 0 || !len || len > RSEQ_CS_MAX_LEN)
			continue;	/* version 0 is the only one */
		if (!start)
			start = relative_addend(rel, nr_rel,
						sh.sh_addr + i * RSEQ_CS_SIZE + 8);
		off = start ? code_offset(elf, start, len) : -1;
		if (off < 0)
			continue;
		(*out)[(*n)++] = (struct rt_rseq_cs){ (uint64_t)off,
						      (uint64_t)off + len };
	}
	free(rel);
	if (!*n) {
		free(*out);
		*out = NULL;
		return 0;
	}
	qsort(*out, *n, sizeof(**out), by_lo);
	return 0;
}

size_t rt_rseq_cs_drop(const struct rt_rseq_cs *cs, size_t n,
		       struct racetrap_site *sites, size_t nr_sites)
{
	size_t kept = 0, j = 0;

	for (size_t i = 0; i < nr_sites; i++) {
		const struct racetrap_site *s = &sites[i];
		bool inside = false;

		/* Sections wholly before this site can hold no later site. */
		while (j < n && cs[j].hi <= s->offset)
			j++;
		for (size_t k = j; k < n && cs[k].lo < s->offset + s->len; k++)
			inside |= s->offset < cs[k].hi;
		if (!inside)
			sites[kept++] = *s;
	}
	return kept;
}
