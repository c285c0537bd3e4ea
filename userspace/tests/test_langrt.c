// SPDX-License-Identifier: GPL-2.0
/*
 * The language-runtime table: Go's GC, scheduler and allocator are
 * internal (not sampled, hits filtered); the runtime routines that work
 * on user maps and slices, and user code, are not.
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

int main(void)
{
	size_t bad = 0;

	ktap_start(3);
	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (!rt_langrt_is_internal(internal[i]) && ++bad)
			ktap_diag("%s should be internal", internal[i]);
	ktap_result(bad == 0, "go_runtime_machinery_is_internal");
	bad = 0;
	for (size_t i = 0; i < sizeof(not_internal) / sizeof(not_internal[0]); i++)
		if (rt_langrt_is_internal(not_internal[i]) && ++bad)
			ktap_diag("%s should not be internal", not_internal[i]);
	ktap_result(bad == 0, "user_data_routines_and_user_code_kept");
	EXPECT_TRUE(!rt_langrt_is_internal(NULL) &&
		    rt_langrt_is_user_data("runtime.mapassign_faststr") &&
		    !rt_langrt_is_user_data("runtime.mallocgc"),
		    "user_data_table", "table lookups wrong");
	return ktap_finish();
}
