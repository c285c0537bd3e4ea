// SPDX-License-Identifier: GPL-2.0
/* langrt: the table of language-runtime internals and its exceptions. */
#include <fnmatch.h>
#include <stddef.h>

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

bool rt_langrt_is_internal(const char *func)
{
	if (!func || !match_any(internal, ARRAY_SIZE(internal), func))
		return false;
	return !rt_langrt_is_user_data(func);
}
