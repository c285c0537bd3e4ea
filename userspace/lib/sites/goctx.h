/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RT_GOCTX_H
#define RT_GOCTX_H

#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct racetrap_config;

/* The context words a Go target's records carry, in ctx_off's order. */
enum rt_goctx_word {
	RT_GOCTX_GOID,		/* runtime.g.goid: the goroutine id */
	RT_GOCTX_GOPC,		/* runtime.g.gopc: after its `go` statement's call */
	RT_GOCTX_NR
};

/*
 * offsetof(runtime.g, goid) and offsetof(runtime.g, gopc) from @elf's
 * DWARF, in @off's RT_GOCTX_* order.  0, or -ENOENT when @elf has no
 * DWARF (go build -ldflags=-s -w) or no runtime.g with both as 8-byte
 * members at offsets the kernel takes.
 */
int rt_goctx_offsets(Elf *elf, uint32_t off[RT_GOCTX_NR]);

/*
 * Ask for the goroutine words in @cfg (nr_ctx, ctx_off) if the executable
 * of Go program @pid describes runtime.g; return whether it does.  @cfg
 * is left alone otherwise: reports then name threads.
 */
bool rt_goctx_words(pid_t pid, struct racetrap_config *cfg);

/*
 * Both of the above with one read of /proc/PID/exe: a Go executable's
 * stack bounds, and with @ctx_words its goroutine words where its DWARF
 * has them.  Returns whether it is a Go executable.
 */
bool rt_goctx_configure(pid_t pid, struct racetrap_config *cfg,
			bool ctx_words);

#endif /* RT_GOCTX_H */
