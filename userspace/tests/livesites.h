/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real sites of a running test-data program: decode its binary, find the
 * site of a given kind in a named function, and place a file offset at
 * its live address (after ASLR) through /proc/PID/maps.
 */
#ifndef RT_LIVESITES_H
#define RT_LIVESITES_H

#include <fcntl.h>
#include <gelf.h>
#include <sys/stat.h>

#include "elffuncs.h"
#include "maps.h"
#include "sites.h"
#include "testlib.h"

struct live_bin {
	char path[4096];
	struct rt_site_table table;
	struct rt_funcs funcs;
	Elf *elf;
	int fd;
};

static inline int live_bin_open(const char *name, struct live_bin *b)
{
	struct rt_sites_opts opts = { .keep_runtime = true };
	char err[256];

	memset(b, 0, sizeof(*b));
	if (test_data_path(name, b->path, sizeof(b->path)))
		return -1;
	b->fd = open(b->path, O_RDONLY);
	if (b->fd < 0 ||
	    rt_sites_decode_file(b->fd, &opts, &b->table, err, sizeof(err)))
		return -1;
	elf_version(EV_CURRENT);
	b->elf = elf_begin(b->fd, ELF_C_READ, NULL);
	return b->elf ? rt_funcs_load(b->elf, &b->funcs) : -1;
}

static inline void live_bin_close(struct live_bin *b)
{
	rt_funcs_free(&b->funcs);
	elf_end(b->elf);
	rt_site_table_release(&b->table);
	close(b->fd);
}

static inline bool live_vaddr_to_off(Elf *elf, uint64_t vaddr, uint64_t *off)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR) &&
		    vaddr >= sh.sh_addr && vaddr < sh.sh_addr + sh.sh_size) {
			*off = vaddr - sh.sh_addr + sh.sh_offset;
			return true;
		}
	}
	return false;
}

/* The first site of @access in function @func, or NULL. */
static inline const struct racetrap_site *
live_site(const struct live_bin *b, const char *func, unsigned int access)
{
	for (size_t i = 0; i < b->funcs.n; i++) {
		const struct rt_func *f = &b->funcs.v[i];
		uint64_t lo, hi;

		if (strcmp(f->name, func) ||
		    !live_vaddr_to_off(b->elf, f->start, &lo) ||
		    !live_vaddr_to_off(b->elf, f->end - 1, &hi))
			continue;
		for (size_t j = 0; j < b->table.nr_sites; j++) {
			const struct racetrap_site *s = &b->table.sites[j];

			if (s->offset >= lo && s->offset <= hi &&
			    (s->access & access) == access)
				return s;
		}
	}
	return NULL;
}

/* The ELF address of data symbol @name, 0 if there is none. */
static inline uint64_t live_data_vaddr(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *d = elf_getdata(scn, NULL);
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !d)
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *n;

			if (gelf_getsym(d, (int)i, &sym) &&
			    (n = elf_strptr(elf, sh.sh_link, sym.st_name)) &&
			    !strcmp(n, name))
				return sym.st_value;
		}
	}
	return 0;
}

/* The ELF address of a file offset in an executable section. */
static inline uint64_t live_off_to_vaddr(Elf *elf, uint64_t off)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR) &&
		    off >= sh.sh_offset && off < sh.sh_offset + sh.sh_size)
			return off - sh.sh_offset + sh.sh_addr;
	}
	return 0;
}

/* Where file offset @off of @b's executable is mapped in @pid; 0 if not. */
static inline uint64_t live_addr(pid_t pid, const struct live_bin *b,
				 uint64_t off, uint64_t *map_start,
				 uint64_t *map_offset)
{
	struct rt_mapping *maps;
	struct stat st;
	uint64_t addr = 0;
	size_t n;

	if (fstat(b->fd, &st) || rt_maps_read(pid, &maps, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct rt_mapping *m = &maps[i];

		if (m->ino != st.st_ino || off < m->offset ||
		    off >= m->offset + (m->end - m->start))
			continue;
		addr = m->start + (off - m->offset);
		if (map_start)
			*map_start = m->start;
		if (map_offset)
			*map_offset = m->offset;
		break;
	}
	free(maps);
	return addr;
}

#endif /* RT_LIVESITES_H */
