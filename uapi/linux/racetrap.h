/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * racetrap: sampling data-race detection for running user processes.
 *
 * The ABI between racetrap.ko (/dev/racetrap) and userspace.
 *
 * Conventions
 * ===========
 *
 * Every ioctl is _IO(RACETRAP_TYPE, RACETRAP_CMD_*) and takes a pointer to a
 * struct whose first field is ``__u32 size``, set by the caller to the size
 * of the struct it was compiled with (``sizeof``).  This lets every struct
 * grow at its end, as perf_event_attr and clone_args do:
 *
 *  - ``size`` smaller than the oldest version of the struct this kernel
 *    accepts (RACETRAP_*_SIZE_VER0, for ATTACH RACETRAP_ATTACH_SIZE_VER1):
 *    EINVAL.
 *  - ``size`` larger than a page (4096 on x86-64): E2BIG, before anything
 *    past the size field is read.  No struct comes near it.
 *  - ``size`` larger than the kernel knows: the extra bytes must be zero,
 *    otherwise E2BIG (the caller asks for something this kernel lacks).
 *    With a zero tail it behaves exactly as the known size.
 *  - Output fields are written back up to min(size, kernel size) bytes.
 *    A struct with outputs (VERSION, ADD_SITES, CONFIG, STATS) that
 *    cannot be written (a read-only page): EFAULT, before the ioctl acts.
 *    ATTACH and DETACH write nothing back.
 *  - Unknown bits in ``flags`` (or any other bit mask): EOPNOTSUPP.  This
 *    tells "this kernel does not support that" apart from EINVAL ("that
 *    value is wrong").
 *  - A non-zero ``__reserved`` field: EINVAL.
 *  - The pointer itself, or any user pointer inside a struct, that is NULL
 *    or not mapped: EFAULT.
 *  - An ioctl number this ABI does not define: ENOTTY.
 *
 * An ioctl that fails changes nothing.
 *
 * Commands
 * ========
 *
 * RACETRAP_IOC_VERSION (struct racetrap_version)
 *	Returns the ABI version and feature flags.  Needs no attachment.
 *	Errors: the generic ones above.
 *
 * RACETRAP_IOC_ATTACH (struct racetrap_attach)
 *	Binds this open file to the process (thread group) ``pid`` names, in
 *	the caller's pid namespace.  All of its threads are watched, including
 *	threads created later.  The attachment ends on RACETRAP_IOC_DETACH,
 *	close of the last reference to the file, exit or exec of the target
 *	(a RACETRAP_REC_END record says which), and never survives the file.
 *
 *	Permission is ptrace's, proven by a descriptor: ``mem_fd`` is an open
 *	descriptor of the target's /proc/PID/mem (or /proc/PID/task/TID/mem),
 *	O_RDONLY is enough.  Attaching lets the caller stall the target's
 *	threads and read its memory and registers, what PTRACE_ATTACH allows,
 *	and the kernel's open of that file is the ptrace-attach check itself:
 *	mm_access() with PTRACE_MODE_ATTACH_FSCREDS, so the caller's fsuid and
 *	capabilities, dumpability, Yama's ptrace_scope and every LSM's
 *	ptrace_access_check hook (SELinux, AppArmor...) decide, under the
 *	target's exec_update_lock.  The open fails with EACCES or EPERM where
 *	ptrace attach would fail.  The module checks that the descriptor is
 *	such a file (procfs, named "mem", the mem file's unsigned-offset mark)
 *	and that the mm its open checked and pinned is the target's mm now.
 *	This is sound because:
 *
 *	 - the check happened inside the kernel, against the mm the file
 *	   keeps (mmgrab), so the pointer cannot be reused for another mm
 *	   while the descriptor is held;
 *	 - exec replaces the mm, and the check and the mm it saw are taken
 *	   under exec_update_lock: a descriptor opened before an exec (of a
 *	   setuid program, say) names the old mm and no longer matches;
 *	 - the module takes the target's mm after resolving ``pid`` and
 *	   compares, so an exec between the open and the ioctl gives EPERM;
 *	   the attachment is bound to that mm, so after an exec nothing of
 *	   the new image is sampled or recorded, and the attachment ends
 *	   within 100 ms (RACETRAP_END_EXEC);
 *	 - a process sharing the target's mm (CLONE_VM without a thread
 *	   group) shares its memory: attach rights on one give control of
 *	   the other, so its mem file proves as much.
 *
 *	The clock trigger needs perf's permission as well: it samples where
 *	the target spends its CPU time, what a perf cpu-clock event on it
 *	does, through kernel counters that perf_event_paranoid and the
 *	LSMs' perf hooks do not see.  The caller needs CAP_PERFMON (or
 *	CAP_SYS_ADMIN), as perf does to pass perf_event_paranoid, or shows
 *	a perf event it opened itself (RACETRAP_ATTACH_F_PERF_FD,
 *	``perf_fd``), on one of the target's threads or CPU-wide: the open
 *	checked perf_event_paranoid, the ptrace read right and
 *	security_perf_event_open().  A user-mode software cpu-clock event
 *	(exclude_kernel, disabled) is enough; the module only checks that
 *	the descriptor is a perf event and what it is attached to, and may
 *	be closed after ATTACH.  The right is taken at ATTACH and holds
 *	until the attachment ends; without it, ATTACH with the clock
 *	trigger configured, and CONFIG turning it on while attached, fail
 *	with EACCES (the default configuration has it on: ask for the
 *	site trigger alone).
 *
 *	The descriptor is a capability, as the mem file itself is: whoever
 *	holds it (inherited, passed with SCM_RIGHTS) may attach to that image,
 *	whatever its credentials are now.  The device's file mode is not the
 *	only check, so /dev/racetrap may be opened to a group.
 *	Errors, in the order they are checked: EOPNOTSUPP an unknown flag;
 *	EINVAL a reserved field, or ``perf_fd`` not 0 without
 *	RACETRAP_ATTACH_F_PERF_FD; EINVAL ``pid`` <= 0; EALREADY this file
 *	is already attached; EBADF ``mem_fd`` is not an open descriptor;
 *	EINVAL it is not a procfs mem file (environ, auxv, maps, any other
 *	file); ESRCH no such process; EINVAL a kernel thread; EPERM the mem
 *	file is another image's: another process's, or the target's from
 *	before an exec; with RACETRAP_ATTACH_F_PERF_FD: EBADF ``perf_fd`` is
 *	not open, EINVAL it is not a perf event, EPERM an event on another
 *	process; EACCES the clock trigger is configured and the caller has
 *	neither CAP_PERFMON nor a proof; EBUSY the target already has a
 *	tracer; ENOSPC a cap on attachments (module parameters
 *	max_attachments, max_attachments_per_user) is reached; ENOMEM.
 *
 * RACETRAP_IOC_DETACH (struct racetrap_detach)
 *	Ends the attachment: stops sampling, releases every watchpoint and
 *	breakpoint, wakes any stalled thread.  Records already queued stay
 *	readable.  Errors: ENOENT not attached.
 *
 * RACETRAP_IOC_ADD_SITES (struct racetrap_sites)
 *	Hands the kernel the table of memory-accessing instructions of one
 *	file mapped executable in the target.  The file is passed as an open
 *	descriptor ``fd`` (not a path), the table as ``nr_sites`` entries of
 *	``site_size`` bytes (sizeof(struct racetrap_site)) at ``sites``.
 *	The table must be sorted by ``offset`` with no two instructions
 *	overlapping, every instruction inside the file, and every entry valid
 *	(see struct racetrap_site); one bad entry rejects the whole table.  A
 *	second table for the same file replaces the first (a re-mapped
 *	library).  The kernel records where the file is mapped executable at
 *	the time of the call.  Returns a table id (>= 1) that records use in
 *	``site_table``.
 *	Errors: ENOENT not attached; EBADF bad fd; EINVAL bad table, a
 *	``site_size`` it does not know, or the file is not mapped executable
 *	in the target; E2BIG more than RACETRAP_MAX_SITES in all; ENOSPC a
 *	cap on site-table memory (module parameters max_sites_mib,
 *	max_sites_mib_per_user) is reached; EFAULT.
 *
 * RACETRAP_IOC_CONFIG (struct racetrap_config)
 *	Without RACETRAP_CONFIG_F_SET, returns the tracer's configuration.
 *	With it, validates every field first and applies them all, or none
 *	(EINVAL, nothing changed).  A field of zero means "the default" so a
 *	zero-filled struct resets everything.  Works before or after ATTACH.
 *	While attached, turning the clock trigger on without the right
 *	ATTACH took for it fails with EACCES, nothing changed.
 *
 * RACETRAP_IOC_STATS (struct racetrap_stats)
 *	Returns the counters of this file's tracer since it was opened.
 *
 * Records
 * =======
 *
 * read() returns whole records, each a struct racetrap_record of
 * racetrap_version.record_size bytes, followed, when it has
 * RACETRAP_REC_F_DUMP, by struct racetrap_user_dump blocks up to its
 * ``size`` (see struct racetrap_user_dump: only when
 * racetrap_config.stack_dump asks for them).  A buffer smaller than the
 * next record is EINVAL when nothing was read yet; records are never
 * split.  A buffer of record_size + 2 * (sizeof(struct
 * racetrap_user_dump) + stack_dump) bytes always holds one.  read()
 * blocks unless O_NONBLOCK (then EAGAIN).
 * poll() reports EPOLLIN when a record is queued and EPOLLHUP once the
 * attachment has ended and every record has been read; read() then
 * returns 0.  The ring is bounded: when it is full new records are dropped
 * and counted, and a RACETRAP_REC_LOST record carrying the count is queued
 * as soon as there is room, so no loss is silent.
 */
#ifndef _UAPI_LINUX_RACETRAP_H
#define _UAPI_LINUX_RACETRAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RACETRAP_DEVICE		"/dev/racetrap"
/*
 * 2: ATTACH takes mem_fd; 3: the clock trigger needs perf's permission;
 * 4: context words (racetrap_config.ctx_off, racetrap_record.*_ctx);
 * 5: windows watch per CPU (RACETRAP_REC_F_READS_WATCHED, watch_threads
 * without effect, RACETRAP_MAX_WATCHPOINTS 2, the counters WATCHED_CPUS
 * and CPUS_LEFT).
 */
#define RACETRAP_ABI_VERSION	5
#define RACETRAP_TYPE		0xB9

enum racetrap_cmd {
	RACETRAP_CMD_VERSION = 0x00,
	RACETRAP_CMD_ATTACH,
	RACETRAP_CMD_DETACH,
	RACETRAP_CMD_ADD_SITES,
	RACETRAP_CMD_CONFIG,
	RACETRAP_CMD_STATS,
	__RACETRAP_CMD_LAST
};

#define RACETRAP_IOC_VERSION	_IO(RACETRAP_TYPE, RACETRAP_CMD_VERSION)
#define RACETRAP_IOC_ATTACH	_IO(RACETRAP_TYPE, RACETRAP_CMD_ATTACH)
#define RACETRAP_IOC_DETACH	_IO(RACETRAP_TYPE, RACETRAP_CMD_DETACH)
#define RACETRAP_IOC_ADD_SITES	_IO(RACETRAP_TYPE, RACETRAP_CMD_ADD_SITES)
#define RACETRAP_IOC_CONFIG	_IO(RACETRAP_TYPE, RACETRAP_CMD_CONFIG)
#define RACETRAP_IOC_STATS	_IO(RACETRAP_TYPE, RACETRAP_CMD_STATS)

/* Feature bits in racetrap_version.features. */
#define RACETRAP_FEAT_SITE_SAMPLING	(1ULL << 0)
#define RACETRAP_FEAT_CLOCK_SAMPLING	(1ULL << 1)
#define RACETRAP_FEAT_VALUE_CHANGE	(1ULL << 2)
#define RACETRAP_FEAT_VALUE_FLAGS	(1ULL << 3)	/* RACETRAP_REC_F_VALUE_* */
#define RACETRAP_FEAT_USER_DUMP	(1ULL << 4)	/* racetrap_config.stack_dump */
#define RACETRAP_FEAT_CLOCK_PERM	(1ULL << 5)	/* RACETRAP_ATTACH_F_PERF_FD */
#define RACETRAP_FEAT_CTX_WORDS	(1ULL << 6)	/* racetrap_config.ctx_off */
#define RACETRAP_FEAT_FUNC_START	(1ULL << 7)	/* RACETRAP_SITE_F_FUNC_START */
#define RACETRAP_FEAT_WATCH_THREADS	(1ULL << 8)	/* racetrap_config.watch_threads */
#define RACETRAP_FEAT_FUNC_TAIL	(1ULL << 9)	/* racetrap_site.func_tail */
#define RACETRAP_FEAT_GO_YIELD	(1ULL << 10)	/* racetrap_config.go_preempt_off */

/**
 * struct racetrap_version - RACETRAP_IOC_VERSION
 * @size: sizeof(struct racetrap_version)
 * @flags: must be 0
 * @abi_version: out: RACETRAP_ABI_VERSION of the module
 * @record_size: out: sizeof(struct racetrap_record) read() returns
 * @features: out: RACETRAP_FEAT_* bits
 * @max_stack_depth: out: RACETRAP_MAX_STACK
 * @max_sites: out: RACETRAP_MAX_SITES
 * @__reserved: must be 0
 */
struct racetrap_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 record_size;
	__u64 features;
	__u32 max_stack_depth;
	__u32 max_sites;
	__u64 __reserved;
};
#define RACETRAP_VERSION_SIZE_VER0	40

/**
 * struct racetrap_attach - RACETRAP_IOC_ATTACH
 * @size: sizeof(struct racetrap_attach), at least RACETRAP_ATTACH_SIZE_VER1
 * @flags: RACETRAP_ATTACH_F_*
 * @pid: the process (any of its thread ids names the whole group)
 * @__reserved: must be 0
 * @mem_fd: an open descriptor of the target's /proc/PID/mem: the proof
 *	that the caller may ptrace-attach to it (see RACETRAP_IOC_ATTACH)
 * @perf_fd: with RACETRAP_ATTACH_F_PERF_FD, an open perf event the
 *	caller opened on one of the target's threads (or a CPU-wide one):
 *	the proof that it may use the clock trigger (see
 *	RACETRAP_IOC_ATTACH).  Without the flag: must be 0.
 *
 * ABI version 1's 16-byte struct had no @mem_fd: EINVAL.
 */
struct racetrap_attach {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__u32 __reserved;
	__s32 mem_fd;
	__s32 perf_fd;
};
#define RACETRAP_ATTACH_SIZE_VER0	16	/* refused since ABI version 2 */
#define RACETRAP_ATTACH_SIZE_VER1	24

/* racetrap_attach.flags */
#define RACETRAP_ATTACH_F_PERF_FD	(1U << 0)	/* perf_fd is given */
#define __RACETRAP_ATTACH_F_ALL		((1U << 1) - 1)

/**
 * struct racetrap_detach - RACETRAP_IOC_DETACH
 * @size: sizeof(struct racetrap_detach)
 * @flags: must be 0
 */
struct racetrap_detach {
	__u32 size;
	__u32 flags;
};
#define RACETRAP_DETACH_SIZE_VER0	8

/* x86-64 registers an operand may name (racetrap_site.base and .index). */
enum racetrap_reg {
	RACETRAP_REG_NONE = 0,
	RACETRAP_REG_RAX, RACETRAP_REG_RCX, RACETRAP_REG_RDX, RACETRAP_REG_RBX,
	RACETRAP_REG_RSP, RACETRAP_REG_RBP, RACETRAP_REG_RSI, RACETRAP_REG_RDI,
	RACETRAP_REG_R8, RACETRAP_REG_R9, RACETRAP_REG_R10, RACETRAP_REG_R11,
	RACETRAP_REG_R12, RACETRAP_REG_R13, RACETRAP_REG_R14, RACETRAP_REG_R15,
	RACETRAP_REG_RIP,	/* base only: address = next instruction + disp */
	__RACETRAP_REG_LAST
};

/* racetrap_site.access and racetrap_side.access */
#define RACETRAP_ACCESS_READ	(1U << 0)
#define RACETRAP_ACCESS_WRITE	(1U << 1)
#define RACETRAP_ACCESS_RMW	(RACETRAP_ACCESS_READ | RACETRAP_ACCESS_WRITE)

/* racetrap_site.flags */
#define RACETRAP_SITE_F_LOCKED	(1U << 0)	/* lock prefix, or xchg with memory */
#define RACETRAP_SITE_F_SEG_FS	(1U << 1)	/* fs: (thread-local): never sampled */
#define RACETRAP_SITE_F_SEG_GS	(1U << 2)	/* gs: (thread-local): never sampled */
/*
 * An instruction the kernel's x86 uprobes would not single-step
 * faithfully (a VEX-encoded store such as vmovdqa, taken for a
 * conditional jump and skipped).  Informational: the site trigger uses
 * execute breakpoints, not uprobes, and samples such sites like any other.
 */
#define RACETRAP_SITE_F_NO_PROBE (1U << 3)
/*
 * The first site of a function: the sites from it up to the next one so
 * flagged are one function's.  The site trigger learns which code runs
 * function by function (Documentation/engine.rst, "Live sites").  Only
 * with RACETRAP_FEAT_FUNC_START; without any, the kernel takes runs of
 * neighbouring sites instead.
 */
#define RACETRAP_SITE_F_FUNC_START (1U << 4)
/*
 * In a Go program, code where Go never preempts a goroutine
 * asynchronously (package runtime, assembly): a window on such a site
 * holds its thread, not its goroutine (racetrap_config.go_preempt_off).
 * Only with RACETRAP_FEAT_GO_YIELD.
 */
#define RACETRAP_SITE_F_HOLD_THREAD (1U << 5)
#define __RACETRAP_SITE_F_ALL	((1U << 6) - 1)

#define RACETRAP_MAX_SITES	(1U << 20)	/* per tracer, all tables */
#define RACETRAP_MAX_INSN_LEN	15

/**
 * struct racetrap_site - one memory-accessing instruction
 * @offset: file offset of the instruction's first byte
 * @disp: operand displacement
 * @len: instruction length, 1..15
 * @base: RACETRAP_REG_* of the base register, or NONE
 * @index: RACETRAP_REG_* of the index register, or NONE (not RSP or RIP)
 * @scale: 1, 2, 4 or 8 with an index; 0 without
 * @size: bytes accessed: 1, 2, 4, 8, 16, 32 or 64.  Watchpoints cover at
 *	most 8 aligned bytes: a wider access is watched on its first word.
 * @access: RACETRAP_ACCESS_READ, _WRITE or _RMW
 * @flags: RACETRAP_SITE_F_*
 * @__reserved: must be 0
 * @func_tail: bytes from @offset to the end of the function holding the
 *	instruction, at least @len; 0: not known (a stripped file).  Code
 *	between a function's end and the next site belongs to functions
 *	without sites (a language runtime left out): a clock tick there
 *	makes nothing live.  Only with RACETRAP_FEAT_FUNC_TAIL: an older
 *	module rejects it (EINVAL, a non-zero reserved field).
 *
 * The operand's address is base + index * scale + disp, where a RIP base
 * reads as the address of the next instruction (offset + len).
 */
struct racetrap_site {
	__u64 offset;
	__s32 disp;
	__u8 len;
	__u8 base;
	__u8 index;
	__u8 scale;
	__u8 size;
	__u8 access;
	__u8 flags;
	__u8 __reserved;
	__u32 func_tail;
};

/**
 * struct racetrap_sites - RACETRAP_IOC_ADD_SITES
 * @size: sizeof(struct racetrap_sites)
 * @flags: must be 0
 * @fd: an open descriptor of the mapped file (O_RDONLY is enough)
 * @site_size: sizeof(struct racetrap_site)
 * @sites: user pointer to @nr_sites entries
 * @nr_sites: number of entries, 1..RACETRAP_MAX_SITES
 * @table_id: out: the id records carry in site_table
 */
struct racetrap_sites {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 site_size;
	__u64 sites;
	__u32 nr_sites;
	__u32 table_id;
};
#define RACETRAP_SITES_SIZE_VER0	32

/* racetrap_config.triggers */
#define RACETRAP_TRIGGER_SITE	(1U << 0)	/* breakpoints on random sites */
#define RACETRAP_TRIGGER_CLOCK	(1U << 1)	/* per-thread cpu-clock */
#define __RACETRAP_TRIGGER_ALL	((1U << 2) - 1)

/* racetrap_config.flags */
#define RACETRAP_CONFIG_F_SET	(1U << 0)	/* apply; otherwise only read */
#define __RACETRAP_CONFIG_F_ALL	((1U << 1) - 1)

#define RACETRAP_MAX_STACK	64
#define RACETRAP_MAX_WATCHPOINTS 2
#define RACETRAP_MAX_WATCH_THREADS 65536
#define RACETRAP_MAX_STACK_OFF	65535
#define RACETRAP_MAX_STACK_DUMP	16384
#define RACETRAP_MAX_CTX_WORDS	2

/**
 * struct racetrap_config - RACETRAP_IOC_CONFIG
 * @size: sizeof(struct racetrap_config)
 * @flags: RACETRAP_CONFIG_F_*
 * @triggers: RACETRAP_TRIGGER_* mask; 0 = default (both)
 * @window_us: how long a sampled thread is held, 1..100000 us
 * @site_probes: threads given a site breakpoint at a rotation, 1..1024
 * @site_rotate_ms: how often the breakpoints are redrawn, 50..60000 ms
 * @clock_period_us: cpu-clock sampling period per thread, 1000..10000000 us
 *	of that thread's CPU time, while the budget binds; while it is
 *	mostly unused the clock ticks up to 8 times faster, never under
 *	1000 us (RACETRAP_STAT_CLOCK_PERIOD_US says at what period)
 * @max_watchpoints: samples in flight, 1..RACETRAP_MAX_WATCHPOINTS.  The
 *	module keeps as many sets of per-CPU breakpoints as the largest
 *	value any attachment asked for, one debug register of every CPU
 *	each, while anything is attached (ABI version 5 lowered the bound
 *	from 4 to 2: the others are the triggers' and debuggers')
 * @stack_depth: frames recorded per stack, 1..RACETRAP_MAX_STACK
 * @budget_ppm: overhead budget: stall plus watchpoint cost as parts per
 *	million of the target's CPU time, 1..1000000 (1000000 = unlimited)
 * @stack_reg: RACETRAP_REG_* (RAX..R15 but RSP) of a register that, in
 *	the sampled code, points near the running thread's stack bounds:
 *	two __u64 at @stack_off from it, the lowest address and one past
 *	the highest.  A sample whose address lies inside them is skipped.
 *	When the bounds cannot be read or do not hold RSP, and with NONE
 *	(the default), the stack is the mapping that holds RSP.  For Go
 *	(1.17+), whose goroutine stacks share mappings with the heap: R14,
 *	the running goroutine's g, offset 0 (g.stack.lo, g.stack.hi).
 * @__pad: must be 0
 * @stack_off: byte offset of the bounds from @stack_reg, 0..65535
 * @stack_dump: bytes of user stack, from the stack pointer up, copied with
 *	the user registers into every HIT and VALUE_CHANGE record for each
 *	side (struct racetrap_user_dump), so userspace can unwind code
 *	built without frame pointers from its CFI (.eh_frame), as
 *	``perf record --call-graph dwarf`` does.  0 (the default): no
 *	dumps, every record is record_size bytes.  Else 64 ..
 *	RACETRAP_MAX_STACK_DUMP, a multiple of 8.  Only with
 *	RACETRAP_FEAT_USER_DUMP: an older module rejects it (EINVAL, a
 *	non-zero reserved field).
 * @watch_threads: no effect since ABI version 5, whose windows watch
 *	every thread through one breakpoint per CPU; still checked,
 *	0..RACETRAP_MAX_WATCH_THREADS, and read back as set (0: twice
 *	the online CPUs, at least 8), for tools written for version 4.
 *	Only with RACETRAP_FEAT_WATCH_THREADS: an older module rejects it
 *	(EINVAL, a non-zero reserved field).
 * @nr_ctx: context words to copy into each side of a record,
 *	0..RACETRAP_MAX_CTX_WORDS (default 0: none).  Needs @stack_reg.
 * @ctx_off: byte offsets from @stack_reg of the @nr_ctx __u64 words, each
 *	0..RACETRAP_MAX_STACK_OFF and a multiple of 8; unused entries 0.
 *	For Go: offsetof(runtime.g, goid) and offsetof(runtime.g, gopc),
 *	so a report can name each side's goroutine and where it was
 *	created.  The words are copied only when the stack bounds at
 *	@stack_reg + @stack_off hold the side's RSP (the register is what
 *	the tool says it is), and only from plain memory (as the values
 *	are); the record says so with RACETRAP_SIDE_F_CTX.  Only with
 *	RACETRAP_FEAT_CTX_WORDS: an older module reads a larger struct
 *	with these fields non-zero as E2BIG.
 * @go_preempt_off: byte offset from @stack_reg of the running goroutine's
 *	preemption request (Go's runtime.g.preempt, a bool), 1..65535;
 *	0 (the default): off.  Set, a window in a goroutine whose stack
 *	bounds check out does not hold its thread: the module asks Go to
 *	preempt the goroutine there, as Go's own sysmon does (the flag,
 *	the stack guard at @go_guard_off, SIGURG), and watches every
 *	thread, the sampled one too, until the goroutine comes back to its
 *	access or a conflict traps (Documentation/engine.rst, "Goroutine
 *	windows").  Writing there is within ATTACH's permission, ptrace's,
 *	which lets a debugger write the target's memory.  Needs
 *	@go_guard_off and the goroutine's id as the first context word
 *	(@nr_ctx, @ctx_off[0]: offsetof(runtime.g, goid)): a g without one
 *	(a thread's g0 or gsignal) is never asked.  Only with
 *	RACETRAP_FEAT_GO_YIELD: an older module rejects it (EINVAL, a
 *	non-zero reserved field).
 * @go_guard_off: byte offset from @stack_reg of runtime.g.stackguard0,
 *	a multiple of 8, 8..65528; 0 with @go_preempt_off 0.
 *
 * Zero in any field means its default (see Documentation/engine.rst).  On
 * return every field holds the value in force, defaults resolved.
 */
struct racetrap_config {
	__u32 size;
	__u32 flags;
	__u32 triggers;
	__u32 window_us;
	__u32 site_probes;
	__u32 site_rotate_ms;
	__u32 clock_period_us;
	__u32 max_watchpoints;
	__u32 stack_depth;
	__u32 budget_ppm;
	__u8 stack_reg;
	__u8 __pad[3];
	__u32 stack_off;
	__u32 stack_dump;
	__u32 watch_threads;
	__u32 nr_ctx;
	__u32 ctx_off[RACETRAP_MAX_CTX_WORDS];
	__u16 go_preempt_off;
	__u16 go_guard_off;
};
#define RACETRAP_CONFIG_SIZE_VER0	56
#define RACETRAP_CONFIG_SIZE_VER1	64	/* + stack_dump */

/**
 * struct racetrap_stats - RACETRAP_IOC_STATS
 * @size: sizeof(struct racetrap_stats)
 * @flags: must be 0
 * @nr_counters: out: how many counters this kernel filled in
 * @counters: out: indexed by enum racetrap_stat
 */
enum racetrap_stat {
	RACETRAP_STAT_SAMPLES_SITE,	/* samples taken by site breakpoints */
	RACETRAP_STAT_SAMPLES_CLOCK,	/* samples taken by cpu-clock */
	RACETRAP_STAT_CLOCK_TICKS,	/* cpu-clock ticks in user mode */
	RACETRAP_STAT_CLOCK_MISSES,	/* ... that were not on a known site */
	RACETRAP_STAT_WATCHES,		/* windows opened (watchpoints armed) */
	RACETRAP_STAT_WATCHED_CPUS,	/* CPUs whose watchpoint windows armed */
	RACETRAP_STAT_SKIP_STACK,	/* sampled address on own stack */
	RACETRAP_STAT_SKIP_TLS,		/* fs:/gs: access */
	RACETRAP_STAT_SKIP_BUSY,	/* max_watchpoints in flight, or every set lent */
	RACETRAP_STAT_SKIP_NOSPC,	/* debug registers taken (ENOSPC) */
	RACETRAP_STAT_SKIP_BUDGET,	/* overhead budget spent */
	RACETRAP_STAT_SKIP_FAULT,	/* address not readable / not user */
	RACETRAP_STAT_SKIP_ALONE,	/* no other thread to watch */
	RACETRAP_STAT_HITS,		/* conflicting accesses trapped */
	RACETRAP_STAT_HITS_ATOMIC,	/* ... dropped: both sides locked */
	RACETRAP_STAT_HITS_OVERFLOW,	/* ... beyond RACETRAP_MAX_HITS */
	RACETRAP_STAT_VALUE_CHANGES,	/* changed value, nothing trapped */
	RACETRAP_STAT_STALL_NS,		/* time sampled threads were held */
	RACETRAP_STAT_COST_NS,		/* everything charged to the budget */
	RACETRAP_STAT_THROTTLED,	/* times the budget started throttling */
	RACETRAP_STAT_RECORDS,		/* records queued */
	RACETRAP_STAT_DROPS,		/* records dropped, ring full */
	RACETRAP_STAT_PROBES_ARMED,	/* site breakpoints armed */
	RACETRAP_STAT_PROBE_ERRORS,	/* ... the kernel refused */
	RACETRAP_STAT_ROTATIONS,	/* site sets redrawn */
	RACETRAP_STAT_SKIP_BLOCKED,	/* unused: always 0 */
	RACETRAP_STAT_CLOCK_AIMS,	/* execute breakpoints after misses */
	RACETRAP_STAT_CLOCK_AIMS_MISSED,	/* ... not reached in time */
	RACETRAP_STAT_COST_OTHERS_NS,	/* part of COST_NS: others' bound */
	RACETRAP_STAT_THROTTLED_NS,	/* time the budget held sampling back */
	RACETRAP_STAT_CLOCK_AIMS_UP,	/* ... of CLOCK_MISSES aimed at a caller */
	RACETRAP_STAT_COST_ROTATE_NS,	/* part of COST_NS: rotations' arming */
	RACETRAP_STAT_ROTATIONS_DEFERRED,	/* ticks a rotation waited for budget */
	RACETRAP_STAT_COST_BOUND_NS,	/* part of COST_NS: hits, ticks at a bound */
	RACETRAP_STAT_SITE_STEPS_LOST,	/* unused: always 0 */
	RACETRAP_STAT_HITS_EMULATOR,	/* traps tcg_store_check dropped */
	RACETRAP_STAT_SITES_LIVE,	/* sites seen to run (drawn first) */
	RACETRAP_STAT_PROBES_IDLE,	/* site breakpoints taken out unfired */
	RACETRAP_STAT_CPUS_LEFT,	/* CPUs of the target windows left unwatched */
	RACETRAP_STAT_HITS_KNOWN,	/* hits of reported pairs: window open */
	RACETRAP_STAT_SITE_BIRTHS,	/* new threads that armed their own sites */
	RACETRAP_STAT_SITE_HANDOFFS,	/* ... sites of exited threads, unfired */
	RACETRAP_STAT_WINDOW_JOINS,	/* unused: always 0 */
	RACETRAP_STAT_YIELDS,		/* windows that asked Go to preempt */
	RACETRAP_STAT_YIELDS_BACK,	/* ... ended by the goroutine's access */
	RACETRAP_STAT_YIELDS_TIMEOUT,	/* ... ended by their deadline */
	RACETRAP_STAT_SITE_REFRESHES,	/* site breakpoints drawn afresh, unfired */
	RACETRAP_STAT_CLOCK_PERIOD_US,	/* a level: the clock's period now */
	RACETRAP_STAT_SITES_RAN,	/* sites seen to run themselves */
	RACETRAP_STAT_BP_SWITCHES,	/* switches of threads holding an execute bp */
	__RACETRAP_STAT_LAST
};

#define RACETRAP_STATS_MAX	64

struct racetrap_stats {
	__u32 size;
	__u32 flags;
	__u32 nr_counters;
	__u32 __reserved;
	__u64 counters[RACETRAP_STATS_MAX];
};
#define RACETRAP_STATS_SIZE_VER0	(16 + 8 * RACETRAP_STATS_MAX)

/* Records read() returns. */
enum racetrap_rec_type {
	RACETRAP_REC_UNSPEC = 0,
	RACETRAP_REC_HIT,		/* a conflicting access trapped */
	RACETRAP_REC_VALUE_CHANGE,	/* value changed, no thread trapped */
	RACETRAP_REC_LOST,		/* @lost records were dropped */
	RACETRAP_REC_THROTTLE,		/* budget spent: sampling paused */
	RACETRAP_REC_END,		/* attachment ended: see @end_reason */
	__RACETRAP_REC_LAST
};

enum racetrap_end_reason {
	RACETRAP_END_UNSPEC = 0,
	RACETRAP_END_DETACH,		/* RACETRAP_IOC_DETACH */
	RACETRAP_END_EXIT,		/* the target exited */
	RACETRAP_END_EXEC,		/* the target called exec */
	__RACETRAP_END_LAST
};

/* racetrap_record.trigger */
#define RACETRAP_REC_TRIGGER_SITE	1
#define RACETRAP_REC_TRIGGER_CLOCK	2

/* racetrap_side.flags */
#define RACETRAP_SIDE_F_LOCKED	(1U << 0)	/* a locked/xchg instruction */
#define RACETRAP_SIDE_F_AFTER	(1U << 1)	/* ip is after the access */
#define RACETRAP_SIDE_F_KNOWN	(1U << 2)	/* site found: access, size, addr valid */
/*
 * Caught before its access executed; @ip is still the one after the
 * access, and value_after does not include it.  No kernel of this
 * version sets it (it came with the uprobe site trigger).
 */
#define RACETRAP_SIDE_F_PENDING	(1U << 3)
/*
 * The record's *_ctx words for this side hold what racetrap_config.ctx_off
 * asked for.  The sampled side's are read while it is held, before its
 * access; the trapped side's when the window closes, from the register
 * value at the trap (a Go goroutine that ended within the window and whose
 * g was reused would show its successor: the window is short).
 */
#define RACETRAP_SIDE_F_CTX	(1U << 4)

/* racetrap_record.flags */
#define RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN	(1U << 0)
#define RACETRAP_REC_F_VALUE_AFTER_UNKNOWN	(1U << 1)
#define RACETRAP_REC_F_UNWATCHED		(1U << 2)
#define RACETRAP_REC_F_DUMP			(1U << 3)	/* dumps follow */
#define RACETRAP_REC_F_READS_WATCHED		(1U << 4)

/**
 * struct racetrap_side - one thread's access in a record
 * @tid: thread id (in the attacher's pid namespace)
 * @flags: RACETRAP_SIDE_F_*
 * @ip: user instruction pointer.  For the sampled side, the accessing
 *	instruction itself.  For the trapping side (RACETRAP_SIDE_F_AFTER),
 *	the instruction *after* the access: x86 data watchpoints are traps.
 * @addr: the address accessed, when the kernel could compute it
 *	(sampled side always; trapping side only with RACETRAP_SIDE_F_KNOWN,
 *	computed from registers after the access, so an instruction that
 *	overwrites its own base or index register yields a wrong value)
 * @size: bytes accessed, 0 if unknown
 * @access: RACETRAP_ACCESS_*, 0 if unknown (the trapping side of a
 *	write-only watchpoint is always a write)
 * @nr_frames: valid entries in @stack
 * @__reserved: 0
 * @stack: return addresses, innermost first; @stack[0] == @ip
 */
struct racetrap_side {
	__u32 tid;
	__u32 flags;
	__u64 ip;
	__u64 addr;
	__u8 size;
	__u8 access;
	__u16 nr_frames;
	__u32 __reserved;
	__u64 stack[RACETRAP_MAX_STACK];
};

/* racetrap_user_dump.side */
#define RACETRAP_DUMP_SAMPLED	0
#define RACETRAP_DUMP_TRAPPED	1

/*
 * racetrap_user_dump.regs: x86-64 user registers, indexed by their DWARF
 * register numbers (x86-64 psABI), so an unwinder takes them as they are.
 */
enum racetrap_dump_reg {
	RACETRAP_DUMP_RAX, RACETRAP_DUMP_RDX, RACETRAP_DUMP_RCX,
	RACETRAP_DUMP_RBX, RACETRAP_DUMP_RSI, RACETRAP_DUMP_RDI,
	RACETRAP_DUMP_RBP, RACETRAP_DUMP_RSP,
	RACETRAP_DUMP_R8, RACETRAP_DUMP_R9, RACETRAP_DUMP_R10,
	RACETRAP_DUMP_R11, RACETRAP_DUMP_R12, RACETRAP_DUMP_R13,
	RACETRAP_DUMP_R14, RACETRAP_DUMP_R15,
	RACETRAP_DUMP_RIP,		/* DWARF's return address column */
	RACETRAP_DUMP_NR_REGS
};

/**
 * struct racetrap_user_dump - one side's registers and stack, for unwinding
 * @size: bytes of this block, header and @stack, a multiple of 8
 * @side: RACETRAP_DUMP_SAMPLED or RACETRAP_DUMP_TRAPPED
 * @nr_regs: RACETRAP_DUMP_NR_REGS
 * @__reserved: 0
 * @stack_len: bytes in @stack: a copy of the user stack from
 *	regs[RACETRAP_DUMP_RSP] up.  Less than racetrap_config.stack_dump
 *	where the stack mapping ends or a page could not be read (the
 *	trapped side is copied in #DB context, which may not fault pages
 *	in); 0 when nothing could be read.
 * @__reserved2: 0
 * @regs: the user registers as they were when the side's stack was
 *	taken: before the access (sampled side), after it (trapped side;
 *	regs[RACETRAP_DUMP_RIP] is racetrap_side.ip)
 * @stack: @stack_len bytes, then padding to @size
 *
 * A record with RACETRAP_REC_F_DUMP carries one block per side it has
 * (sampled, then trapped for a HIT) right after its fixed part
 * (racetrap_version.record_size bytes); its ``size`` counts them.
 */
struct racetrap_user_dump {
	__u32 size;
	__u8 side;
	__u8 nr_regs;
	__u16 __reserved;
	__u32 stack_len;
	__u32 __reserved2;
	__u64 regs[RACETRAP_DUMP_NR_REGS];
	__u8 stack[];
};

/**
 * struct racetrap_record - one record
 * @size: bytes of this record: sizeof(struct racetrap_record), plus its
 *	dumps with RACETRAP_REC_F_DUMP
 * @version: RACETRAP_ABI_VERSION
 * @type: enum racetrap_rec_type
 * @pid: the target's thread group id
 * @trigger: RACETRAP_REC_TRIGGER_* that took the sample
 * @end_reason: for RACETRAP_REC_END, enum racetrap_end_reason
 * @timestamp_ns: CLOCK_MONOTONIC when the record was made
 * @watch_addr: start of the watched range (aligned)
 * @watch_len: its length: 1, 2, 4 or 8
 * @nr_hits: traps in this window (HIT records: one record per trap)
 * @site_table: table id (from ADD_SITES) of the sampled instruction
 * @flags: RACETRAP_REC_F_*: RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN and
 *	_AFTER_UNKNOWN say that value could not be read (its field is 0 and
 *	means nothing): the page was not present (values are read with page
 *	faults disabled), or the range is VM_IO/VM_PFNMAP or registered with
 *	userfaultfd, where a read is never attempted.  Older modules
 *	(without RACETRAP_FEAT_VALUE_FLAGS) leave this 0.
 *	RACETRAP_REC_F_UNWATCHED: another thread may have been left
 *	unwatched in this window (a CPU it may run on had no breakpoint:
 *	brought online after the attach), so a value change without a
 *	trap may be that thread's access, which racetrap could not see.
 *	RACETRAP_REC_F_READS_WATCHED: the window trapped reads as well as
 *	writes, so in a window on a read the trapped access may be a
 *	read (no conflict): decode it.  Set by every window since ABI
 *	version 5; before, windows on a read outside Go watched writes
 *	only.
 *	RACETRAP_REC_F_DUMP: struct racetrap_user_dump blocks follow.
 * @site_offset: its file offset in that table's file
 * @value_before: the watched bytes just before the watchpoints were
 *	armed (little endian), so that any write trapped in the window came
 *	after it.  In a VALUE_CHANGE record: the bytes once every thread
 *	was armed, since a write from a thread not armed yet changes the
 *	value without a trap and is no evidence (only a change after that
 *	read makes a VALUE_CHANGE record)
 * @value_after: the watched bytes when the window closed.  A trapping
 *	write (the trap comes after the access) is included, unless the
 *	trapped side has RACETRAP_SIDE_F_PENDING.
 * @lost: for RACETRAP_REC_LOST, the records dropped since the last one;
 *	for RACETRAP_REC_THROTTLE, samples skipped for budget so far
 * @window_ns: how long the window lasted
 * @sampled: the sampled thread (stalled, caught before its access)
 * @trapped: the other thread (HIT only), caught just after its access
 * @sampled_ctx: with RACETRAP_SIDE_F_CTX in @sampled.flags, the words
 *	racetrap_config.ctx_off names, in its order; else 0
 * @trapped_ctx: the same for @trapped
 */
struct racetrap_record {
	__u32 size;
	__u16 version;
	__u16 type;
	__u32 pid;
	__u16 trigger;
	__u16 end_reason;
	__u64 timestamp_ns;
	__u64 watch_addr;
	__u32 watch_len;
	__u32 nr_hits;
	__u32 site_table;
	__u32 flags;
	__u64 site_offset;
	__u64 value_before;
	__u64 value_after;
	__u64 lost;
	__u64 window_ns;
	struct racetrap_side sampled;
	struct racetrap_side trapped;
	__u64 sampled_ctx[RACETRAP_MAX_CTX_WORDS];
	__u64 trapped_ctx[RACETRAP_MAX_CTX_WORDS];
};

#endif /* _UAPI_LINUX_RACETRAP_H */
