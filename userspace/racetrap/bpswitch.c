// SPDX-License-Identifier: GPL-2.0
/*
 * bpswitch: what one context switch costs a thread that holds an armed
 * execute breakpoint, on this machine.  racetrap's site breakpoints and
 * clock aims are such breakpoints (per-thread perf events); at each
 * switch of their thread perf switches the thread's event context and
 * the kernel loads or clears the debug registers, which a hypervisor may
 * trap.  The module charges each switch at bp_switch_ns; this measures
 * the value to set it to.
 *
 * Two threads bounce a byte over two pipes, so each sleeps and wakes
 * once per round trip, first with nothing armed and then with each
 * thread holding an execute breakpoint on code that never runs (abort()),
 * in pairs of runs whose order alternates.  A pair's difference over the
 * switches of its armed run is one sample of the cost.  Where the two
 * threads run matters: on one CPU each switch goes from one to the
 * other; on two each goes to and from the idle task, which in a VM is a
 * halt and an exit to the hypervisor, where the guest's armed debug
 * registers are saved and restored.  The caller pins them either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bpswitch.h"

struct pingpong {
	int to_peer[2], to_main[2];
	unsigned long rounds;
	bool armed;
	bool main_failed;	/* main could not arm: the peer stops */
	pthread_barrier_t start;
	long peer_switches;	/* the peer's switches over the rounds */
	int peer_err;		/* the peer's failing errno, or 0 */
};

static int arm_self(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_BREAKPOINT;
	a.bp_type = HW_BREAKPOINT_X;
	a.bp_addr = (unsigned long)abort;
	a.bp_len = sizeof(long);
	a.sample_period = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static long thread_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

static void *peer(void *arg)
{
	struct pingpong *pp = arg;
	unsigned long i;
	int fd = -1;
	char c;

	if (pp->armed && (fd = arm_self()) < 0)
		pp->peer_err = errno;
	pthread_barrier_wait(&pp->start);
	if (pp->peer_err || pp->main_failed)
		goto out;
	pp->peer_switches = thread_switches();
	for (i = 0; i < pp->rounds; i++)
		if (read(pp->to_peer[0], &c, 1) != 1 ||
		    write(pp->to_main[1], &c, 1) != 1) {
			pp->peer_err = errno ? errno : EIO;
			/* main, waiting for a byte, reads the end of the
			 * pipe; it looks at the field only after the join */
			close(pp->to_main[1]);
			pp->to_main[1] = -1;
			break;
		}
	pp->peer_switches = thread_switches() - pp->peer_switches;
out:
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * One run: @rounds round trips, breakpoints armed or not.  Sets *ns to
 * the run's time and *switches to both threads' context switches.
 * Returns 0 or an errno, with @err saying what failed.
 */
static int run_once(unsigned long rounds, bool armed, int peer_cpu,
		    double *ns, long *switches, char *err, size_t errlen)
{
	pthread_attr_t attr;
	cpu_set_t set;
	struct pingpong pp = { .rounds = rounds, .armed = armed,
			       .to_peer = { -1, -1 }, .to_main = { -1, -1 } };
	struct timespec t0 = { 0 }, t1 = { 0 };
	unsigned long i;
	long own = 0;
	pthread_t th;
	int fd = -1, ret = 0;
	char c = 'x';

	if (pipe2(pp.to_peer, O_CLOEXEC) || pipe2(pp.to_main, O_CLOEXEC)) {
		ret = errno;
		snprintf(err, errlen, "pipe: %s", strerror(ret));
		goto out;
	}
	pthread_barrier_init(&pp.start, NULL, 2);
	pthread_attr_init(&attr);
	CPU_ZERO(&set);
	CPU_SET(peer_cpu, &set);
	ret = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!ret)
		ret = pthread_create(&th, &attr, peer, &pp);
	pthread_attr_destroy(&attr);
	if (ret) {
		snprintf(err, errlen, "pthread_create: %s", strerror(ret));
		goto out_barrier;
	}
	if (armed && (fd = arm_self()) < 0) {
		ret = errno;
		pp.main_failed = true;
	}
	pthread_barrier_wait(&pp.start);
	if (ret || pp.peer_err) {
		ret = ret ? ret : pp.peer_err;
		snprintf(err, errlen,
			 "perf_event_open of an execute breakpoint on its own thread: %s",
			 strerror(ret));
		goto out_join;
	}
	own = thread_switches();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++)
		if (write(pp.to_peer[1], &c, 1) != 1 ||
		    read(pp.to_main[0], &c, 1) != 1) {
			ret = errno ? errno : EIO;
			snprintf(err, errlen, "pipe: %s", strerror(ret));
			break;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	own = thread_switches() - own;
	/* a peer still waiting for a byte reads the end of the pipe */
	if (ret) {
		close(pp.to_peer[1]);
		pp.to_peer[1] = -1;
	}
out_join:
	pthread_join(th, NULL);
	if (!ret && pp.peer_err) {
		ret = pp.peer_err;
		snprintf(err, errlen, "pipe: %s", strerror(ret));
	}
	if (ret)
		goto out_close;
	*ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	      (double)(t1.tv_nsec - t0.tv_nsec);
	*switches = own + pp.peer_switches;
out_close:
	if (fd >= 0)
		close(fd);
out_barrier:
	pthread_barrier_destroy(&pp.start);
out:
	for (i = 0; i < 2; i++) {
		if (pp.to_peer[i] >= 0)
			close(pp.to_peer[i]);
		if (pp.to_main[i] >= 0)
			close(pp.to_main[i]);
	}
	return ret;
}

int rt_bpswitch_measure(unsigned int pairs, unsigned long rounds,
			int main_cpu, int peer_cpu, double *samples,
			char *err, size_t errlen)
{
	cpu_set_t was, set;
	unsigned int p;
	int ret = 0;

	if (sched_getaffinity(0, sizeof(was), &was)) {
		ret = errno;
		snprintf(err, errlen, "sched_getaffinity: %s", strerror(ret));
		return ret;
	}
	CPU_ZERO(&set);
	CPU_SET(main_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		ret = errno;
		snprintf(err, errlen, "sched_setaffinity to CPU %d: %s",
			 main_cpu, strerror(ret));
		return ret;
	}
	for (p = 0; p < pairs && !ret; p++) {
		double ns[2];
		long sw[2];
		int k;

		/* bare first in even pairs, armed first in odd ones */
		for (k = 0; k < 2 && !ret; k++) {
			bool armed = (k + p) % 2;

			ret = run_once(rounds, armed, peer_cpu, &ns[armed],
				       &sw[armed], err, errlen);
		}
		if (!ret && sw[1] <= 0) {
			snprintf(err, errlen,
				 "no context switch counted in %lu round trips",
				 rounds);
			ret = EIO;
		}
		if (!ret)
			samples[p] = (ns[1] - ns[0]) / (double)sw[1];
	}
	sched_setaffinity(0, sizeof(was), &was);
	return ret;
}
