// SPDX-License-Identifier: GPL-2.0
/*
 * goabi: what racetrap.ko needs to know about a Go target.
 *
 * A goroutine's stack is a span inside the heap arena, so "the mapping
 * around RSP" (the kernel's own-stack test for C threads) would hold the
 * heap that goroutines share, and every heap sample would be dropped as a
 * stack access.  Go keeps the running goroutine's g in R14 and its stack
 * bounds at the start of g; the kernel reads them there and checks that
 * they hold RSP before trusting them, so an older Go (no register ABI) or
 * a cgo frame falls back to the mapping test rather than misjudging.
 */
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <uapi/linux/racetrap.h>

#include "elffuncs.h"
#include "goabi.h"

/* Go's linker writes .go.buildinfo into every Go executable since 1.13. */
bool rt_goabi_elf_is_go(Elf *elf)
{
	GElf_Shdr sh;

	return rt_elf_section(elf, ".go.buildinfo", &sh) != NULL;
}

bool rt_goabi_exe(pid_t pid,
		  bool (*fn)(Elf *elf, const struct stat *st, void *arg),
		  void *arg)
{
	struct stat st;
	char path[64];
	bool r = false;
	Elf *elf;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf) {
		r = fn(elf, fstat(fd, &st) ? NULL : &st, arg);
		elf_end(elf);
	}
	close(fd);
	return r;
}

void rt_goabi_set_stack_bounds(struct racetrap_config *cfg)
{
	cfg->stack_reg = RACETRAP_REG_R14;
	cfg->stack_off = 0;	/* offsetof(runtime.g, stack) */
}

/*
 * Go never preempts a goroutine asynchronously in package runtime (its
 * compiler marks every instruction there an unsafe point) nor in
 * assembly (no liveness maps; Go's symbol for an assembly function
 * called from Go ends in .abi0, and a package's static assembly, such as
 * internal/bytealg's indexbytebody, has no package in its name at all,
 * nor has the C code cgo links in, which Go cannot preempt either):
 * a goroutine window there could not move the goroutine off its thread,
 * so its thread is held instead.  The runtime's internal/ packages too:
 * some run on a thread's g0 (the kernel also refuses a g without a
 * goroutine id).
 */
bool rt_goabi_hold_thread(const char *func)
{
	static const char *const pats[] = {
		"runtime.*", "runtime/internal/*", "internal/*",
		"sync/atomic.*", "*.abi0",
	};

	if (!strchr(func, '.'))
		return true;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (!fnmatch(pats[i], func, 0))
			return true;
	return false;
}
