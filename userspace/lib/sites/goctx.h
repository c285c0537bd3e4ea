/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RT_GOCTX_H
#define RT_GOCTX_H

#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct racetrap_config;

/*
 * The context words a Go target's records carry, in ctx_off's order, then
 * the fields a goroutine window writes.
 */
enum rt_goctx_word {
	RT_GOCTX_GOID,		/* runtime.g.goid: the goroutine id */
	RT_GOCTX_GOPC,		/* runtime.g.gopc: after its `go` statement's call */
	RT_GOCTX_WORDS,
	RT_GOCTX_PREEMPT = RT_GOCTX_WORDS,	/* runtime.g.preempt (bool) */
	RT_GOCTX_GUARD,		/* runtime.g.stackguard0 */
	RT_GOCTX_NR
};

/*
 * offsetof(runtime.g, goid) and offsetof(runtime.g, gopc) from @elf's
 * DWARF, in @off's RT_GOCTX_* order, and those of preempt and stackguard0
 * (both 0 when either is not found).  0, or -ENOENT when @elf has no
 * DWARF (go build -ldflags=-s -w) or no runtime.g with goid and gopc as
 * 8-byte members at offsets the kernel takes.
 */
int rt_goctx_offsets(Elf *elf, uint32_t off[RT_GOCTX_NR]);

/*
 * With one read of /proc/PID/exe: if it is a Go executable, its stack
 * bounds into @cfg (rt_goabi_set_stack_bounds()), with @ctx_words the
 * goroutine words (nr_ctx, ctx_off) where its DWARF describes runtime.g
 * (else reports name threads), and with @yield the offsets of goroutine
 * windows (go_preempt_off, go_guard_off; else windows hold threads).
 * The offsets are kept in @cache_dir (NULL: none) by the executable's
 * identity, as site tables are (filecache.h).  Returns whether it is a
 * Go executable; @cfg is left alone otherwise, or when the executable
 * cannot be read.
 */
bool rt_goctx_configure(pid_t pid, struct racetrap_config *cfg,
			bool ctx_words, bool yield, const char *cache_dir);

#endif /* RT_GOCTX_H */
