// SPDX-License-Identifier: GPL-2.0
/*
 * goctx: which words of a goroutine's runtime.g name it in a report, and
 * which ask Go to preempt it (a goroutine window, Documentation/engine.rst).
 *
 * Go keeps the running goroutine's g in R14 (goabi.c); g.goid is the id
 * Go's own race reports and tracebacks print, g.gopc where the `go`
 * statement that created it called into the runtime.  Their offsets
 * change between Go releases as fields come and go, so they are read from
 * the binary's DWARF (which Go compresses; libdw inflates it) and never
 * assumed: a binary built without DWARF gets no words, and its reports
 * name threads as before.
 *
 * Reading them inflates and walks the binary's DWARF, about 13 ms of CPU
 * for a small Go service on the build host, most of an attach's set-up
 * once the site table is cached; so they are cached beside it, by the
 * executable's identity (filecache.h).
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/linux/racetrap.h>

#include "buildid.h"
#include "elffuncs.h"
#include "filecache.h"
#include "fnv.h"
#include "goabi.h"
#include "goctx.h"

/* Bump when what rt_goctx_offsets() reads changes. */
#define GOCTX_CACHE_VERSION	1

/* What the cache keeps: rt_goctx_offsets()'s result and offsets. */
struct goctx_entry {
	int32_t ret;
	uint32_t off[RT_GOCTX_NR];
};

static const char *const member_names[RT_GOCTX_WORDS] = {
	[RT_GOCTX_GOID] = "goid",
	[RT_GOCTX_GOPC] = "gopc",
};

static bool die_named(Dwarf_Die *die, const char *name)
{
	const char *n = dwarf_diename(die);

	return n && !strcmp(n, name);
}

/* @st's member @name if it is @size bytes at an offset the kernel takes. */
static bool sized_member(Dwarf_Die *st, const char *name, int size,
			 uint32_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Word loc;
	Dwarf_Die m, type;

	if (dwarf_child(st, &m) != 0)
		return false;
	do {
		if (dwarf_tag(&m) != DW_TAG_member || !die_named(&m, name))
			continue;
		if (!dwarf_attr(&m, DW_AT_data_member_location, &a) ||
		    dwarf_formudata(&a, &loc) != 0 ||
		    !dwarf_attr(&m, DW_AT_type, &a) ||
		    !dwarf_formref_die(&a, &type) ||
		    dwarf_bytesize(&type) != size || loc % size ||
		    loc == 0 || loc > RACETRAP_MAX_STACK_OFF)
			return false;
		*off = (uint32_t)loc;
		return true;
	} while (dwarf_siblingof(&m, &m) == 0);
	return false;
}

/* goid and gopc: 8-byte words the kernel can be asked for. */
static int struct_offsets(Dwarf_Die *st, uint32_t off[RT_GOCTX_NR])
{
	for (int i = 0; i < RT_GOCTX_WORDS; i++)
		if (!sized_member(st, member_names[i], 8, &off[i]))
			return -ENOENT;
	return 0;
}

/*
 * runtime.g's preemption request (preempt, a bool) and stack guard
 * (stackguard0, a word): what Go's sysmon sets to preempt a goroutine.
 */
static int yield_offsets(Dwarf_Die *st, uint32_t off[RT_GOCTX_NR])
{
	return sized_member(st, "preempt", 1, &off[RT_GOCTX_PREEMPT]) &&
	       sized_member(st, "stackguard0", 8, &off[RT_GOCTX_GUARD]) ?
	       0 : -ENOENT;
}

/*
 * runtime.g's DIE in @dw, or false.  Go's linker puts every type at the
 * top level of some unit.
 */
static bool find_g(Dwarf *dw, Dwarf_Die *out)
{
	Dwarf_Off cu = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dw, cu, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cudie, die;

		if (dwarf_offdie(dw, cu + hsize, &cudie) &&
		    dwarf_child(&cudie, &die) == 0) {
			do {
				if (dwarf_tag(&die) == DW_TAG_structure_type &&
				    die_named(&die, "runtime.g")) {
					*out = die;
					return true;
				}
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		cu = next;
	}
	return false;
}

int rt_goctx_offsets(Elf *elf, uint32_t off[RT_GOCTX_NR])
{
	Dwarf *dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	int r = -ENOENT;
	Dwarf_Die g;

	if (!dw)
		return -ENOENT;
	memset(off, 0, RT_GOCTX_NR * sizeof(off[0]));
	if (find_g(dw, &g)) {
		r = struct_offsets(&g, off);
		/* Without them goroutine windows are off, nothing else. */
		if (yield_offsets(&g, off)) {
			off[RT_GOCTX_PREEMPT] = 0;
			off[RT_GOCTX_GUARD] = 0;
		}
	}
	dwarf_end(dw);
	return r;
}

static void set_words(struct racetrap_config *cfg,
		      const uint32_t off[RT_GOCTX_NR])
{
	_Static_assert(RT_GOCTX_WORDS <= RACETRAP_MAX_CTX_WORDS,
		       "more goroutine words than the kernel copies");
	cfg->nr_ctx = RT_GOCTX_WORDS;
	for (int i = 0; i < RT_GOCTX_WORDS; i++)
		cfg->ctx_off[i] = off[i];
}

/*
 * What names a Go executable's content for the cache: a hash of the Go
 * build ID note (".note.go.buildid", which `go build` writes as
 * "ACTION/CONTENT" hashes of the inputs and the output), else
 * rt_build_id(), which for a file without a GNU build-id hashes all its
 * code and cost more than the rest of a cached read.  The file's
 * identity is part of the key as well; this covers files whose identity
 * repeats (squashfs images' inodes and clamped times).  A note without a
 * '/' is not such a hash: Bazel's and Nix's builders link with
 * -buildid=redacted, the same in every binary.
 */
static void go_content_id(Elf *elf, char out[RT_BUILD_ID_MAX])
{
	GElf_Shdr sh;
	Elf_Scn *scn = rt_elf_section(elf, ".note.go.buildid", &sh);
	Elf_Data *data = scn ? elf_rawdata(scn, NULL) : NULL;

	if (data && data->d_buf && data->d_size &&
	    memchr(data->d_buf, '/', data->d_size))
		snprintf(out, RT_BUILD_ID_MAX, "go%016llx",
			 (unsigned long long)rt_fnv1a(RT_FNV_OFFSET, data->d_buf,
						      data->d_size));
	else
		rt_build_id(elf, out);
}

/* rt_goctx_offsets() of @elf, from @cache_dir when it has them. */
static int offsets_cached(Elf *elf, const struct stat *st,
			  const char *cache_dir, uint32_t off[RT_GOCTX_NR])
{
	struct rt_filecache_key k = {
		.dir = st ? cache_dir : NULL,
		.kind = "goctx",
		.version = GOCTX_CACHE_VERSION,
		.build_id = "",
	};
	char content_id[RT_BUILD_ID_MAX];
	struct goctx_entry e, *got;
	size_t nr;

	if (k.dir) {
		go_content_id(elf, content_id);
		k.build_id = content_id;
	}
	if (k.dir && !rt_filecache_load(&k, st, sizeof(e), 1, (void **)&got,
					&nr)) {
		e = nr ? *got : (struct goctx_entry){ .ret = -ENOENT };
		free(got);
	} else {
		memset(&e, 0, sizeof(e));
		e.ret = rt_goctx_offsets(elf, e.off);
		if (k.dir)
			rt_filecache_store(&k, st, sizeof(e), &e, 1);
	}
	memcpy(off, e.off, sizeof(e.off));
	return e.ret;
}

struct go_setup {
	struct racetrap_config *cfg;
	bool ctx_words;
	bool yield;
	const char *cache_dir;
};

static bool setup_of(Elf *elf, const struct stat *st, void *arg)
{
	struct go_setup *g = arg;
	uint32_t off[RT_GOCTX_NR] = { 0 };

	if (!rt_goabi_elf_is_go(elf))
		return false;
	rt_goabi_set_stack_bounds(g->cfg);
	if (!g->ctx_words && !g->yield)
		return true;
	if (offsets_cached(elf, st, g->cache_dir, off) == 0 && g->ctx_words)
		set_words(g->cfg, off);
	if (g->yield && off[RT_GOCTX_PREEMPT]) {
		g->cfg->go_preempt_off = (uint16_t)off[RT_GOCTX_PREEMPT];
		g->cfg->go_guard_off = (uint16_t)off[RT_GOCTX_GUARD];
	}
	return true;
}

bool rt_goctx_configure(pid_t pid, struct racetrap_config *cfg,
			bool ctx_words, bool yield, const char *cache_dir)
{
	struct go_setup g = {
		.cfg = cfg, .ctx_words = ctx_words, .yield = yield,
		.cache_dir = cache_dir,
	};

	return rt_goabi_exe(pid, setup_of, &g);
}
