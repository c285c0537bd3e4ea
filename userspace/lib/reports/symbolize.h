/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbolization of a live (or since exited) process's addresses with
 * libdwfl: function, file:line and inlined frames from DWARF, else the ELF
 * symbol, else module+offset.  Also maps an address to its code site
 * (build-id + file offset) and finds the instruction a data watchpoint
 * trapped after.
 */
#ifndef RT_SYMBOLIZE_H
#define RT_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <uapi/linux/racetrap.h>

#include "buildid.h"

struct rt_frame {
	uint64_t ip;		/* the address as recorded */
	uint64_t lookup;	/* the address symbolized (ip - 1 for returns) */
	char *function;		/* NULL if unknown */
	char *file;		/* NULL if unknown */
	int line;		/* 0 if unknown */
	char *module;		/* path of the mapped file, NULL if none */
	uint64_t module_addr;	/* ELF address of @lookup in @module */
	bool inlined;		/* inlined into the frame that follows */
};

struct rt_frames {
	struct rt_frame *v;
	size_t n, cap;
};

void rt_frames_clear(struct rt_frames *f);	/* keeps the array */
void rt_frames_free(struct rt_frames *f);

struct rt_symbolizer;

/* Snapshot @pid's mappings now; NULL with a message in @err. */
struct rt_symbolizer *rt_symbolizer_new(pid_t pid, char *err, size_t errlen);

/*
 * Whether the process @s was made for is alive: its pid then still names
 * it, and what was just read through /proc/PID was its own (once it has
 * exited and been reaped, the pid can be another process's).  False from
 * the first time it is seen gone.
 */
bool rt_symbolizer_same_process(struct rt_symbolizer *s);

/*
 * Re-read the mappings (dlopen, exec) while the process lives; modules
 * already known stay usable after it exits.  0 or a negative errno.
 */
int rt_symbolizer_refresh(struct rt_symbolizer *s);

/*
 * Append the frames of @ip, innermost (most inlined) first.  A return
 * address (@is_return) is looked up at ip - 1, inside its call.
 * Returns 0 or -ENOMEM.
 */
int rt_symbolize(struct rt_symbolizer *s, uint64_t ip, bool is_return,
		 struct rt_frames *out);

/*
 * The code site of @addr: the identity of the file mapped there
 * (rt_build_id) and the file offset.  0, or -ENOENT if nothing is known
 * to be mapped at @addr.
 */
int rt_symbolizer_site(struct rt_symbolizer *s, uint64_t addr,
		       char build_id[RT_BUILD_ID_MAX], uint64_t *file_offset);

/*
 * The start of the instruction that ends at @ip, decoded from the start of
 * its function.  0, or -ENOENT when there is no symbol or the decode
 * does not land on @ip.
 */
int rt_symbolizer_insn_before(struct rt_symbolizer *s, uint64_t ip,
			      uint64_t *start);

/*
 * The same instruction as a site, in @site: 0, -ENOENT as above, or
 * -EINVAL when it is no site.  Not cached: for the rare trap at no
 * known site.
 */
int rt_symbolizer_site_before(struct rt_symbolizer *s, uint64_t ip,
			      struct racetrap_site *site);

/*
 * The sites among the instructions that can end at @ip, decoded
 * backwards from the file mapped there, for code without symbols
 * (rt_decode_sites_ending_at()): how many went to @sites, -ENOENT when
 * nothing readable is mapped there, -EINVAL when one of them touches
 * memory without being a site.
 */
int rt_symbolizer_sites_ending_at(struct rt_symbolizer *s, uint64_t ip,
				  struct racetrap_site *sites, int max);

/*
 * Whether the memory operand of @site, the instruction at @ip, addresses a
 * C11 _Atomic object by the DWARF at @ip (atomictype.c): a base register
 * held by a pointer variable, or rip-relative to a variable at a fixed
 * address; no index.
 */
bool rt_symbolizer_atomic_operand(struct rt_symbolizer *s, uint64_t ip,
				  const struct racetrap_site *site);

/* Where a data address lies, as reports name it. */
struct rt_location {
	bool global;		/* in a mapped file (.data, .bss); else "heap" */
	char *name;		/* the ELF data symbol covering it, or NULL */
	uint64_t start, size;	/* the symbol's address and size, if named */
	char *module;		/* path of the mapped file, if global */
	uint64_t module_addr;	/* ELF address of the data address in it */
};

/*
 * Fill @loc for data address @addr: a global when a mapped ELF file
 * covers it (named by its STT_OBJECT/STT_TLS symbol when one spans it),
 * else heap (any anonymous memory).  Free with rt_location_free().
 */
void rt_symbolizer_location(struct rt_symbolizer *s, uint64_t addr,
			    struct rt_location *loc);
void rt_location_free(struct rt_location *loc);

/*
 * Whether @addr lies in an executable mapping of the process (a file,
 * JIT code or the vDSO): a return address anywhere else is not one.
 */
bool rt_symbolizer_is_code(struct rt_symbolizer *s, uint64_t addr);

/*
 * Unwind the stack dump @d of thread @tid through the modules' CFI
 * (unwind.h): up to @max addresses, @pcs[0] the dump's RIP, then return
 * addresses.  Returns how many (0 when nothing unwinds).
 */
size_t rt_symbolizer_unwind(struct rt_symbolizer *s, pid_t tid,
			    const struct racetrap_user_dump *d,
			    uint64_t *pcs, size_t max);

void rt_symbolizer_free(struct rt_symbolizer *s);

#endif /* RT_SYMBOLIZE_H */
