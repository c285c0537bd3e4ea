// SPDX-License-Identifier: GPL-2.0
/*
 * The language-runtime table: Go's GC, scheduler and allocator are
 * internal (not sampled, hits filtered); the runtime routines that work
 * on user maps and slices, and user code, are not.  Go's runtime code
 * and variables named outside package runtime count only in a Go
 * program.
 */
#include "langrt.h"
#include "testlib.h"

static const char *const internal[] = {
	"runtime.gcDrain", "runtime.scanobject", "runtime.greyobject",
	"runtime.markroot", "runtime.gcBgMarkWorker", "runtime.(*gcWork).tryGet",
	"runtime.(*mspan).nextFreeIndex", "runtime.mallocgc", "runtime.schedule",
	"runtime.findRunnable", "runtime.findrunnable", "runtime.gcWriteBarrier",
	"runtime.wbBufFlush1", "runtime.bulkBarrierPreWrite", "runtime.chansend",
	"runtime/internal/atomic.Load64", "internal/runtime/atomic.Load",
	"sync/atomic.(*Int64).Load", "_start", "__do_global_dtors_aux",
	"sync.(*Mutex).lockSlow", "sync.(*RWMutex).RLock",
	"sync.(*WaitGroup).Add",
};

static const char *const not_internal[] = {
	"runtime.mapaccess1_fast64", "runtime.mapaccess2_faststr",
	"runtime.mapassign", "runtime.mapassign_fast64ptr", "runtime.mapdelete_fast32",
	"runtime.mapiternext", "runtime.mapiterinit", "runtime.growslice",
	"runtime.memmove", "runtime.typedmemmove", "main.main", "main.(*T).Set",
	"syncutil.(*Pool).Get", "runtimeish.helper", "sample_writer", "start_thread",
};

/* Internal in a Go program, a C program's own names elsewhere. */
static const char *const go_only[] = {
	"gogo", "gosave_systemstack_switch", "setg_gcc", "debugCall1024",
	"_rt0_amd64_linux", "time.now",
};

static const char *const go_kept[] = {
	"aeshashbody", "memeqbody", "indexbytebody", "time.Now", "main.now",
};

static const char *const go_data[] = {
	"runtime.writeBarrier", "runtime.mheap_", "internal/cpu.X86",
	"sync.expunged", "runtime/internal/atomic.x",
};

static const char *const user_data[] = {
	"main.replicas", "main.config", "runtimeish.state", "net/http.DefaultClient",
	"mypkg/internal/cpu.X86", "counter", "runtime.MemProfileRate",
};

static size_t count_wrong(const char *const *v, size_t n,
			  bool (*is)(const char *, bool), bool go, bool want)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		if (is(v[i], go) != want && ++bad)
			ktap_diag("%s: %s, want %s (go %d)", v[i],
				  want ? "no" : "yes", want ? "yes" : "no", go);
	return bad;
}

#define COUNT_WRONG(v, is, go, want) \
	count_wrong(v, sizeof(v) / sizeof(v[0]), is, go, want)

int main(void)
{
	size_t bad = 0;

	ktap_start(5);
	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (!rt_langrt_is_internal(internal[i], true) && ++bad)
			ktap_diag("%s should be internal", internal[i]);
	ktap_result(bad == 0, "go_runtime_machinery_is_internal");
	bad = 0;
	for (size_t i = 0; i < sizeof(not_internal) / sizeof(not_internal[0]); i++)
		if (rt_langrt_is_internal(not_internal[i], true) && ++bad)
			ktap_diag("%s should not be internal", not_internal[i]);
	ktap_result(bad == 0, "user_data_routines_and_user_code_kept");
	EXPECT_TRUE(!rt_langrt_is_internal(NULL, true) &&
		    rt_langrt_is_user_data("runtime.mapassign_faststr") &&
		    !rt_langrt_is_user_data("runtime.mallocgc"),
		    "user_data_table", "table lookups wrong");
	bad = COUNT_WRONG(go_only, rt_langrt_is_internal, true, true) +
	      COUNT_WRONG(go_only, rt_langrt_is_internal, false, false) +
	      COUNT_WRONG(go_kept, rt_langrt_is_internal, true, false);
	ktap_result(bad == 0, "go_runtime_outside_package_runtime_only_in_go");
	bad = COUNT_WRONG(go_data, rt_langrt_is_internal_data, true, true) +
	      COUNT_WRONG(go_data, rt_langrt_is_internal_data, false, false) +
	      COUNT_WRONG(user_data, rt_langrt_is_internal_data, true, false);
	ktap_result(bad == 0, "go_runtime_variables");
	return ktap_finish();
}
