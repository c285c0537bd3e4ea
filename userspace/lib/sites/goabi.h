/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RT_GOABI_H
#define RT_GOABI_H

#include <libelf.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

struct racetrap_config;

/*
 * Point @cfg's stack bounds at a Go program's running goroutine's g (R14
 * in Go's register ABI, Go 1.17+; g.stack {lo, hi} is g's first field).
 */
void rt_goabi_set_stack_bounds(struct racetrap_config *cfg);

/*
 * Call @fn on the executable @pid runs, with its fstat() (NULL if that
 * failed), and return what it returns; false when the executable cannot
 * be read.
 */
bool rt_goabi_exe(pid_t pid,
		  bool (*fn)(Elf *elf, const struct stat *st, void *arg),
		  void *arg);

/* Is @elf a Go executable (it has .go.buildinfo)? */
bool rt_goabi_elf_is_go(Elf *elf);

/*
 * Is @func, a function of a Go executable, code where Go never preempts
 * a goroutine asynchronously (RACETRAP_SITE_F_HOLD_THREAD)?
 */
bool rt_goabi_hold_thread(const char *func);

#endif /* RT_GOABI_H */
