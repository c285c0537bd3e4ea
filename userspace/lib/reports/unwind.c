// SPDX-License-Identifier: GPL-2.0
/*
 * unwind: a kernel stack dump to return addresses through CFI.  libdwfl
 * unwinds a "thread" whose registers and memory come from callbacks: the
 * registers are the dump's, the memory is the dump's stack slice, and
 * anything outside the slice is read from the read-only contents of the
 * ELF file mapped there (CFI expressions rarely read more).  The unwind
 * ends where the slice ends, at a frame without CFI, or at the outermost
 * frame (clone3 and _start mark theirs with an undefined return address).
 */
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "unwind.h"

struct rt_unwinder {
	Dwfl *dwfl;
	bool attached, attach_failed;
	/* The unwind in progress. */
	pid_t tid;
	const struct racetrap_user_dump *d;
	uint64_t *pcs;
	size_t n, max;
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct rt_unwinder *u = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return u->tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct rt_unwinder *u = arg;

	(void)dwfl;
	*thread_argp = u;
	return tid == u->tid;
}

/* A word of the read-only file contents mapped at @addr. */
static bool read_elf(Dwfl *dwfl, uint64_t addr, Dwarf_Word *out)
{
	Dwfl_Module *mod = dwfl_addrmodule(dwfl, addr);
	GElf_Addr bias;
	Elf_Data *data;
	size_t n;
	Elf *elf;

	if (!mod || !(elf = dwfl_module_getelf(mod, &bias)) ||
	    elf_getphdrnum(elf, &n))
		return false;
	addr -= bias;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    (ph.p_flags & PF_W) || addr < ph.p_vaddr ||
		    addr + sizeof(*out) > ph.p_vaddr + ph.p_filesz)
			continue;
		data = elf_getdata_rawchunk(elf, (int64_t)(addr - ph.p_vaddr +
							   ph.p_offset),
					    sizeof(*out), ELF_T_BYTE);
		if (!data || !data->d_buf)
			return false;
		memcpy(out, data->d_buf, sizeof(*out));
		return true;
	}
	return false;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result,
			void *arg)
{
	struct rt_unwinder *u = arg;
	uint64_t sp = u->d->regs[RACETRAP_DUMP_RSP];

	if (addr >= sp && addr - sp <= u->d->stack_len &&
	    u->d->stack_len - (addr - sp) >= sizeof(*result)) {
		memcpy(result, u->d->stack + (addr - sp), sizeof(*result));
		return true;
	}
	return read_elf(dwfl, addr, result);
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct rt_unwinder *u = arg;
	Dwarf_Word regs[RACETRAP_DUMP_NR_REGS];

	/* The dump's order is DWARF's: rax, rdx, rcx, rbx, ... r15, rip. */
	for (size_t i = 0; i < RACETRAP_DUMP_NR_REGS; i++)
		regs[i] = u->d->regs[i];
	if (!dwfl_thread_state_registers(thread, 0, RACETRAP_DUMP_NR_REGS,
					 regs))
		return false;
	dwfl_thread_state_register_pc(thread, regs[RACETRAP_DUMP_RIP]);
	return true;
}

static const Dwfl_Thread_Callbacks callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct rt_unwinder *rt_unwinder_new(Dwfl *dwfl)
{
	struct rt_unwinder *u = calloc(1, sizeof(*u));

	if (u)
		u->dwfl = dwfl;
	return u;
}

void rt_unwinder_free(struct rt_unwinder *u)
{
	free(u);
}

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct rt_unwinder *u = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation) || !pc)
		return DWARF_CB_ABORT;
	/* A frame that does not move on is CFI gone wrong: stop there. */
	if (u->n && u->pcs[u->n - 1] == pc && u->n > 1)
		return DWARF_CB_ABORT;
	u->pcs[u->n++] = pc;
	return u->n < u->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

size_t rt_unwind(struct rt_unwinder *u, pid_t tid,
		 const struct racetrap_user_dump *d, uint64_t *pcs, size_t max)
{
	if (!u || !max || u->attach_failed)
		return 0;
	if (!u->attached) {
		/*
		 * Once per Dwfl, after its modules are reported: the
		 * callbacks' argument is this unwinder, whose fields say
		 * which dump the next unwind reads.
		 */
		if (!dwfl_attach_state(u->dwfl, NULL, tid > 0 ? tid : 1,
				       &callbacks, u)) {
			u->attach_failed = true;
			return 0;
		}
		u->attached = true;
	}
	u->tid = tid > 0 ? tid : 1;
	u->d = d;
	u->pcs = pcs;
	u->n = 0;
	u->max = max;
	/* Ends with -1 at the outermost frame too: what matters is u->n. */
	dwfl_getthread_frames(u->dwfl, u->tid, frame_cb, u);
	u->d = NULL;
	return u->n;
}
