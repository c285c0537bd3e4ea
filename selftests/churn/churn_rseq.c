// SPDX-License-Identifier: GPL-2.0
/*
 * churn_rseq [SECONDS]: per-CPU counters kept with restartable sequences,
 * the way tcmalloc and librseq keep per-CPU data.  Four threads (more
 * than the test VM's CPUs, so threads share a CPU) each increment
 * counter[cpu] inside an rseq critical section: read cpu_id, load, add,
 * store.  The store commits.  If the kernel preempts or migrates the
 * thread inside the section, it aborts it and the thread retries; if
 * something defeats that abort, increments are lost.  At the end the
 * counters must sum to the increments the threads made: "churn_rseq: ok"
 * and exit 0, else exit 1 with the difference.  Uses the rseq area glibc
 * (2.35+) registers for every thread; exits 2 if there is none.  The
 * section's descriptor is in __rseq_cs, as librseq places it, so
 * racetrap never probes it (userspace/lib/sites/rseqcs.c); the host
 * unit test test_rseqcs checks that on this binary.  Built with
 * RSEQ_CS_SECTION naming another section (churn_rseq_undeclared), the
 * section is one racetrap cannot know of: test_rseq_site.sh's subject.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/rseq.h>
#include <time.h>

#ifndef RSEQ_CS_SECTION
#define RSEQ_CS_SECTION	"__rseq_cs"
#endif

#define NR_THREADS	4
#define MAX_CPUS	64
#define STRIDE		8	/* longs: one cache line per CPU */

static long counters[MAX_CPUS * STRIDE];
static long made[NR_THREADS];
static time_t end;

static struct rseq *my_rseq(void)
{
	return (struct rseq *)((char *)__builtin_thread_pointer() +
			       __rseq_offset);
}

/* One increment of counters[cpu * STRIDE]; false if the kernel aborted. */
static int percpu_inc(struct rseq *rs)
{
	__asm__ __volatile__ goto(
		".pushsection " RSEQ_CS_SECTION ", \"aw\"\n\t"
		".balign 32\n\t"
		"3:\n\t"
		".long 0, 0\n\t"			/* version, flags */
		".quad 1f, 2f - 1f, 4f\n\t"	/* start, length, abort */
		".popsection\n\t"
		"leaq 3b(%%rip), %%rax\n\t"
		"movq %%rax, %[cs]\n\t"
		"1:\n\t"
		"movl %[cpu], %%eax\n\t"
		"cmpl %[max], %%eax\n\t"
		"jae 4f\n\t"
		"imull %[stride], %%eax, %%eax\n\t"
		"movq (%[c], %%rax, 8), %%rcx\n\t"
		"addq $1, %%rcx\n\t"
		"movq %%rcx, (%[c], %%rax, 8)\n\t"	/* the commit */
		"2:\n\t"
		".pushsection __rseq_failure, \"ax\"\n\t"
		".long 0x53053053\n\t"		/* RSEQ_SIG, before the abort ip */
		"4:\n\t"
		"jmp %l[aborted]\n\t"
		".popsection\n\t"
		:
		: [cs] "m" (rs->rseq_cs), [cpu] "m" (rs->cpu_id),
		  [c] "r" (counters), [max] "i" (MAX_CPUS),
		  [stride] "i" (STRIDE)
		: "memory", "cc", "rax", "rcx"
		: aborted);
	return 1;
aborted:
	return 0;
}

static void *worker(void *arg)
{
	long *mine = arg;
	struct rseq *rs = my_rseq();

	while (time(NULL) < end)
		for (int i = 0; i < 1000; i++)
			*mine += percpu_inc(rs);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[NR_THREADS];
	long sum = 0, want = 0;

	if (__rseq_size == 0) {
		fprintf(stderr, "churn_rseq: glibc registered no rseq area\n");
		return 2;
	}
	end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 10);
	for (int i = 0; i < NR_THREADS; i++)
		pthread_create(&th[i], NULL, worker, &made[i]);
	for (int i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		want += made[i];
	}
	for (int i = 0; i < MAX_CPUS; i++)
		sum += counters[i * STRIDE];
	printf("churn_rseq: %s: %ld increments, counters sum to %ld\n",
	       sum == want ? "ok" : "LOST UPDATES", want, sum);
	return sum == want ? 0 : 1;
}
