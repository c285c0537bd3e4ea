// SPDX-License-Identifier: GPL-2.0
/* langrt: the table of language-runtime internals and its exceptions. */
#include <fnmatch.h>
#include <stddef.h>
#include <string.h>

#include "langrt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Runtime code whose accesses are not the program's races.  Patterns are
 * fnmatch(3) globs without FNM_PATHNAME, so '*' also spans '/', '(' ...
 */
static const char *const internal[] = {
	/*
	 * Go: the scheduler (runtime.schedule, runtime.findRunnable), the
	 * garbage collector (runtime.gcDrain, runtime.scanobject,
	 * runtime.greyobject, runtime.markroot, runtime.(*gcWork).*, write
	 * barriers), the allocator (runtime.mallocgc, runtime.(*mspan).*,
	 * runtime.(*mheap).*, runtime.(*mcache).*), channels and locks: all
	 * of package runtime, minus the user-data routines below.
	 */
	"runtime.*",
	/* Go runtime's own atomics and helpers (older and newer layouts). */
	"runtime/internal/*",
	"internal/runtime/*",
	/* Go atomic wrappers: plain loads paired with locked stores. */
	"sync/atomic.*",
	/*
	 * Go's synchronisation itself (Mutex, RWMutex, WaitGroup, Once,
	 * Cond, Pool, Map): lockSlow reads m.state with a plain load while
	 * other goroutines CAS it, by design; seen in the VM as "races" on
	 * a correctly locked program.  A fast path inlined into user code is
	 * judged as user code, so a lock word copied while held still shows.
	 */
	"sync.*",
	/* C start-up and tear-down code emitted by the toolchain. */
	"_start",
	"_init",
	"_fini",
	"__libc_csu_init",
	"__libc_csu_fini",
	"__do_global_dtors_aux",
	"frame_dummy",
	"register_tm_clones",
	"deregister_tm_clones",
};

/* Runtime routines that read or write user data on the program's behalf. */
static const char *const user_data[] = {
	"runtime.mapaccess*",	/* m[k], v, ok := m[k] */
	"runtime.mapassign*",	/* m[k] = v */
	"runtime.mapdelete*",	/* delete(m, k) */
	"runtime.mapiter*",	/* for k, v := range m */
	"runtime.mapclear",	/* clear(m), for k := range m { delete } */
	"runtime.growslice",	/* append() beyond capacity copies the slice */
	"runtime.memmove",	/* copy(), append(), struct and array copies */
	"runtime.typedmemmove",	/* the same for values holding pointers */
	"runtime.typedslicecopy",
	"runtime.memequal*",	/* ==, map keys, string comparison */
	"runtime.slicebytetostring",	/* string(b) reads b */
	"runtime.stringtoslicebyte",
	"runtime.concatstrings",
};

/*
 * Go's runtime code named outside package runtime, checked only in a Go
 * program (a C function may well be called gogo): the runtime's static
 * assembly (gogo switches goroutines, setg_gcc and the debugCall family
 * serve cgo and debuggers, _rt0 starts the process) and time.now, the
 * runtime's clock under package time's name, which writes the thread's
 * m.vdsoPC and m.vdsoSP around the vDSO call.  In the VM they drew a sixth
 * of a per-request Go program's site samples, each a window on the
 * runtime's own state.  The assembly that reads user data (aeshashbody,
 * memeqbody, cmpbody, indexbytebody: map keys, ==, bytes.IndexByte) is
 * not here.
 */
static const char *const go_internal[] = {
	"gogo",
	"gosave_systemstack_switch",
	"setg_gcc",
	"callRet",
	"debugCall*",
	"_rt0_*",
	"time.now",
};

/*
 * Go variables that only the runtime writes (the write barrier flag,
 * the CPU feature bits set at start-up, the scheduler's and collector's
 * state): user code reads some of them directly (every store of a
 * pointer tests runtime.writeBarrier), but what writes them is the
 * runtime, so no such access is the program's race.
 */
static const char *const go_internal_data[] = {
	"runtime.*",
	"runtime/internal/*",
	"internal/runtime/*",
	"internal/cpu.*",
	"sync.*",
	"sync/atomic.*",
};

static bool match_any(const char *const *pats, size_t n, const char *func)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pats[i], func, 0) == 0)
			return true;
	return false;
}

bool rt_langrt_is_user_data(const char *func)
{
	return func && match_any(user_data, ARRAY_SIZE(user_data), func);
}

bool rt_langrt_is_internal(const char *func, bool go)
{
	if (!func)
		return false;
	if (go && match_any(go_internal, ARRAY_SIZE(go_internal), func))
		return true;
	if (!match_any(internal, ARRAY_SIZE(internal), func))
		return false;
	return !rt_langrt_is_user_data(func);
}

bool rt_langrt_is_internal_data(const char *var, bool go)
{
	/* The runtime's one variable a program sets: the profiling rate. */
	if (!go || !var || !strcmp(var, "runtime.MemProfileRate"))
		return false;
	return match_any(go_internal_data, ARRAY_SIZE(go_internal_data), var);
}
