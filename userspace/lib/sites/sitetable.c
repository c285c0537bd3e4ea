// SPDX-License-Identifier: GPL-2.0
/*
 * sitetable: Capstone over an ELF file's executable sections, one function
 * at a time, into the site table RACETRAP_IOC_ADD_SITES takes (or that
 * table from the site cache).
 */
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildid.h"
#include "elfread.h"
#include "decode.h"
#include "elffuncs.h"
#include "goabi.h"
#include "raceless.h"
#include "rseqcs.h"
#include "sitecache.h"
#include "sites.h"
#include "universe.h"

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

/*
 * Decode [lo, hi) of one section; @sec_addr/@sec_off place it.  @go: a Go
 * executable, whose R14 holds the running goroutine's g (register ABI,
 * Go 1.17+): what is read through it (the stack bound every function
 * entry checks, preemption flags) is the goroutine's own runtime state,
 * never a user data race, and it was a large share of a Go program's
 * sites, each a window spent for nothing.  Nor are accesses that name an
 * address of @quiet (raceless.c).
 */
static int decode_range(csh h, cs_insn *insn, const uint8_t *buf,
			uint64_t sec_addr, uint64_t sec_off, uint64_t lo,
			uint64_t hi, bool resync, bool go,
			const struct rt_raceless *quiet, struct site_vec *out)
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
		if (site.base == RACETRAP_REG_RIP &&
		    rt_raceless_has(quiet, addr + (int64_t)site.disp,
				    site.size ? site.size : 1))
			continue;
		site.offset = sec_off + (at - sec_addr);
		if (push(out, &site))
			return -ENOMEM;
	}
	return 0;
}

/*
 * Bytes from @s to its function's end, at file offset @end: what tells
 * the kernel that code past it (a runtime left out) is not @s's function.
 */
static uint32_t func_tail(const struct racetrap_site *s, uint64_t end)
{
	return end - s->offset <= UINT32_MAX ? (uint32_t)(end - s->offset) : 0;
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
	struct rt_raceless quiet;
	struct rt_funcs funcs;
	Elf_Scn *scn = NULL;
	cs_insn *insn;
	csh h;
	int ret = 0;

	if (rt_funcs_load(elf, &funcs))
		return -ENOMEM;
	if (rt_raceless_load(elf, go, &quiet)) {
		rt_funcs_free(&funcs);
		snprintf(err, errlen, "out of memory reading the data symbols");
		return -ENOMEM;
	}
	if (rt_decode_open(&h)) {
		rt_raceless_free(&quiet);
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
					   lo, hi, true, go, &quiet, out);
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
			size_t first = out->n;

			if (a >= b || !rt_universe_has_func(opts, f->name, go))
				continue;
			ret = decode_range(h, insn, data->d_buf, lo,
					   sh.sh_offset, a, b, false, go, &quiet,
					   out);
			if (ret || out->n == first)
				continue;
			/* The kernel learns which code runs by function. */
			out->v[first].flags |= RACETRAP_SITE_F_FUNC_START;
			if (go && rt_goabi_hold_thread(f->name))
				for (size_t k = first; k < out->n; k++)
					out->v[k].flags |=
						RACETRAP_SITE_F_HOLD_THREAD;
			for (size_t k = first; k < out->n; k++)
				out->v[k].func_tail = func_tail(&out->v[k],
						sh.sh_offset + (b - lo));
		}
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory decoding sites");
	cs_free(insn, 1);
out:
	cs_close(&h);
	rt_raceless_free(&quiet);
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
	struct rt_rseq_cs *cs;
	size_t nr_cs;
	bool cacheable;
	struct stat st;
	GElf_Ehdr eh;
	Elf *elf;
	int ret;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, rt_elf_read_cmd(fd), NULL);
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
	if (!ret)
		ret = rt_rseq_cs_load(elf, &cs, &nr_cs);
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory decoding sites");
		free(sv.v);
		goto out;
	}
	sort_unique(&sv);
	sv.n = rt_rseq_cs_drop(cs, nr_cs, sv.v, sv.n);
	free(cs);
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
