// SPDX-License-Identifier: GPL-2.0
/* lowprio: set-up work in a thread of its own, at nice 19. */
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lowprio.h"

struct lowprio_work {
	int (*fn)(void *);
	void *arg;
	int ret;
};

static void *lowprio_thread(void *p)
{
	struct lowprio_work *w = p;

	/* Raising one's own nice value needs no privilege; it is best effort. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
			  RT_LOWPRIO_NICE);
	w->ret = w->fn(w->arg);
	return NULL;
}

int rt_run_lowprio(int (*fn)(void *), void *arg)
{
	struct lowprio_work w = { fn, arg, 0 };
	pthread_t th;

	if (pthread_create(&th, NULL, lowprio_thread, &w))
		return fn(arg);
	pthread_join(th, NULL);
	return w.ret;
}
