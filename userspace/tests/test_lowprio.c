// SPDX-License-Identifier: GPL-2.0
/*
 * Set-up work runs at nice 19 in a thread of its own, gets its result
 * back to the caller, and leaves the caller's priority as it was.
 */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lowprio.h"
#include "testlib.h"

struct seen {
	int nice;
	pid_t tid;
};

static int work(void *arg)
{
	struct seen *s = arg;

	s->tid = (pid_t)syscall(SYS_gettid);
	s->nice = getpriority(PRIO_PROCESS, (id_t)s->tid);
	return 42;
}

int main(void)
{
	struct seen s = { 0, 0 };
	pid_t me = (pid_t)syscall(SYS_gettid);
	int before = getpriority(PRIO_PROCESS, (id_t)me), ret;

	ktap_start(3);
	ret = rt_run_lowprio(work, &s);
	ktap_result(ret == 42, "lowprio_returns_the_result");
	if (s.nice != RT_LOWPRIO_NICE || s.tid == me)
		ktap_diag("work ran at nice %d in thread %d (caller %d)",
			  s.nice, (int)s.tid, (int)me);
	ktap_result(s.nice == RT_LOWPRIO_NICE && s.tid != me,
		    "lowprio_work_runs_at_nice_19_in_its_own_thread");
	ktap_result(getpriority(PRIO_PROCESS, (id_t)me) == before,
		    "lowprio_caller_priority_untouched");
	return ktap_finish();
}
