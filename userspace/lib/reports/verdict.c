// SPDX-License-Identifier: GPL-2.0
/*
 * verdict: the rules that decide a hit is not the program's race (an
 * atomic pair, the runtime's own business, a trap pinned on the wrong
 * store), kept apart from the bookkeeping so they read as a policy.
 */
#include <string.h>

#include "langrt.h"
#include "verdict.h"

/*
 * The atomic APIs whose every access is atomic, by the names of their
 * functions as reports show them (C++ and Rust demangled).  Go's are
 * functions of sync/atomic and of the runtime's atomic package (its path
 * changed in Go 1.22); C++'s are the members of libstdc++'s and libc++'s
 * atomic class templates (always_inline, yet still inlined subroutines
 * in DWARF); Rust's are in core::sync::atomic.
 */
static const char *const atomic_api[] = {
	"sync/atomic.", "runtime/internal/atomic.", "internal/runtime/atomic.",
	"std::__atomic_base<", "std::atomic<", "std::__atomic_impl::",
	"std::__atomic_float<", "std::atomic_flag::", "std::atomic_ref<",
	"std::__1::__atomic_base<", "std::__1::atomic<",
	"std::__1::__cxx_atomic_", "std::__1::atomic_flag::",
	"core::sync::atomic::",
};

/*
 * Inlined, an atomic function's access sits in the caller's code, and the
 * DWARF inline data names the function as the innermost frame.  Such an
 * access is atomic whatever its encoding: Go compiles atomic loads to
 * plain MOVs, and C++ and Rust their loads and their release and relaxed
 * stores (the pairs the locked-side rule below cannot tell).  A binary
 * without DWARF has no inline data, and such an access looks plain.
 */
bool rt_verdict_atomic_frame(const struct rt_frames *f)
{
	const char *fn = f->n ? f->v[0].function : NULL;
	size_t i;

	for (i = 0; fn && i < sizeof(atomic_api) / sizeof(atomic_api[0]); i++)
		if (!strncmp(fn, atomic_api[i], strlen(atomic_api[i])))
			return true;
	return false;
}

static bool aligned_word(const struct rt_side_view *s)
{
	return (s->size == 1 || s->size == 2 || s->size == 4 ||
		s->size == 8) && !(s->addr % s->size);
}

/*
 * A plain load, wider than the locked access and covering it: one atomic
 * load of two adjacent atomic objects.  libstdc++'s shared_ptr does that
 * (GCC 12's _M_release() loads use_count and weak_count as one 8-byte
 * atomic while other threads lock-xadd the 4-byte counts), and its
 * churn-soak runs were reported as races.  A plain store of another
 * width, or a load inside a wider locked access, stays a race.
 */
static bool plain_load_over(const struct rt_side_view *plain,
			    const struct rt_side_view *locked)
{
	return plain->access == RACETRAP_ACCESS_READ &&
	       plain->size > locked->size && locked->addr >= plain->addr &&
	       locked->addr + locked->size <= plain->addr + plain->size;
}

/*
 * The atomic-pair rule (Documentation/engine.rst, "Atomic pairs").  On
 * x86 only stores and read-modify-writes can be told atomic (a lock
 * prefix, or xchg with memory); every atomic load, and C11's relaxed and
 * release stores, compile to a plain MOV.  So a plain access meeting a
 * locked one of the same size at the same naturally aligned address is
 * what a C/C++ atomic object looks like: the locked side proves the word
 * is accessed atomically, and an access of the same width is how the
 * other atomic operations compile.  So is a wider aligned plain load
 * covering the locked access (plain_load_over()).  Any other size, or a
 * misaligned address, cannot be an atomic access of the object; in Go, where
 * every atomic store is XCHG and every atomic access is in an atomic
 * function, a plain access is plain: there only the frames decide.  An
 * access in a C++ or Rust atomic API's function is atomic as well, and so
 * is a C access whose operand addresses an _Atomic object by DWARF
 * (atomictype.c): that is how release stores and acquire loads, plain
 * MOVs both, are told from a race.
 */
bool rt_verdict_atomic_pair(bool go, const struct rt_side_view *a,
			    const struct rt_side_view *b)
{
	bool ga = rt_verdict_atomic_frame(&a->frames) || a->atomic_type;
	bool gb = rt_verdict_atomic_frame(&b->frames) || b->atomic_type;

	if ((a->locked || ga) && (b->locked || gb))
		return true;
	if (go || a->locked == b->locked)
		return false;
	if (!aligned_word(a) || !aligned_word(b))
		return false;
	if (a->size == b->size && a->addr == b->addr)
		return true;
	return plain_load_over(a->locked ? b : a, a->locked ? a : b);
}

/*
 * Whether a stack is the runtime's own business.  The function that
 * physically holds the access decides (not a helper inlined into it);
 * when that is a runtime routine working on user data (memmove,
 * mapassign...), its caller decides instead: user code calling memmove
 * is the program's access, the runtime copying a goroutine stack with it
 * (copystack) is not.
 */
bool rt_verdict_runtime_internal(const struct rt_frames *f, bool go)
{
	for (size_t i = 0; i < f->n; i++) {
		const char *fn = f->v[i].function;

		if (f->v[i].inlined || rt_langrt_is_user_data(fn))
			continue;
		return rt_langrt_is_internal(fn, go);
	}
	return false;
}

/*
 * The trap is pinned on the instruction that ends at the trap ip.  If
 * that is a plain store (which changes no register its address is made
 * of) and its address lies outside the watched range, it did not make
 * the access that trapped: the #DB came late (QEMU TCG delivers some
 * after the next instruction) or from an instruction that is not a
 * decoded site.  Its stack would be reported for an access it did not
 * make, so nothing is reported; the summary counts it.
 */
bool rt_verdict_misattributed(const struct racetrap_record *rec)
{
	const struct racetrap_side *s = &rec->trapped;

	return (s->flags & RACETRAP_SIDE_F_KNOWN) &&
	       s->access == RACETRAP_ACCESS_WRITE &&
	       !rt_verdict_overlaps(s->addr, s->size ? s->size : 1, rec->watch_addr,
			 rec->watch_len ? rec->watch_len : 1);
}

/* The user register a site's operand names, from a stack dump. */
static uint64_t dump_reg(const struct racetrap_user_dump *d, uint8_t r)
{
	static const uint8_t dwarf[__RACETRAP_REG_LAST] = {
		[RACETRAP_REG_RAX] = RACETRAP_DUMP_RAX,
		[RACETRAP_REG_RCX] = RACETRAP_DUMP_RCX,
		[RACETRAP_REG_RDX] = RACETRAP_DUMP_RDX,
		[RACETRAP_REG_RBX] = RACETRAP_DUMP_RBX,
		[RACETRAP_REG_RSP] = RACETRAP_DUMP_RSP,
		[RACETRAP_REG_RBP] = RACETRAP_DUMP_RBP,
		[RACETRAP_REG_RSI] = RACETRAP_DUMP_RSI,
		[RACETRAP_REG_RDI] = RACETRAP_DUMP_RDI,
		[RACETRAP_REG_R8] = RACETRAP_DUMP_R8,
		[RACETRAP_REG_R9] = RACETRAP_DUMP_R9,
		[RACETRAP_REG_R10] = RACETRAP_DUMP_R10,
		[RACETRAP_REG_R11] = RACETRAP_DUMP_R11,
		[RACETRAP_REG_R12] = RACETRAP_DUMP_R12,
		[RACETRAP_REG_R13] = RACETRAP_DUMP_R13,
		[RACETRAP_REG_R14] = RACETRAP_DUMP_R14,
		[RACETRAP_REG_R15] = RACETRAP_DUMP_R15,
	};

	return r > RACETRAP_REG_NONE && r < RACETRAP_REG_RIP ?
	       d->regs[dwarf[r]] : 0;
}

/*
 * rt_verdict_misattributed() for a trap in code that is no known site
 * (outside the sampled universe, such as libc's memcpy, often without
 * symbols): the instructions that can end at the trap ip, decoded
 * backwards, are @sites.  If each is a plain store whose address, from
 * the trapped registers in @dump, misses the watched range, none of them
 * made the access: QEMU 7.2's TCG reports a write watchpoint as hit by a
 * misaligned store anywhere in its page (Documentation/testing.rst,
 * "Phantom watchpoint hits").
 */
bool rt_verdict_unknown_missed(const struct racetrap_record *rec,
			       const struct racetrap_user_dump *dump,
			       const struct racetrap_site *sites, int nr)
{
	uint64_t ip = rec->trapped.ip;

	if (!dump || dump->nr_regs < RACETRAP_DUMP_NR_REGS || nr <= 0)
		return false;
	for (int i = 0; i < nr; i++) {
		const struct racetrap_site *st = &sites[i];
		uint64_t a = (uint64_t)(int64_t)st->disp;

		if (st->access != RACETRAP_ACCESS_WRITE)
			return false;
		a += st->base == RACETRAP_REG_RIP ? ip : dump_reg(dump, st->base);
		a += dump_reg(dump, st->index) * st->scale;
		if (rt_verdict_overlaps(a, st->size ? st->size : 1,
					rec->watch_addr,
					rec->watch_len ? rec->watch_len : 1))
			return false;
	}
	return true;
}
