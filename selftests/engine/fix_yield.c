// SPDX-License-Identifier: GPL-2.0
/*
 * Goroutine windows, for test_yield: threads "a", "b", "c" and "z"
 * increment shared_word with R14 pointing to a g-like block of their
 * own, laid out as test_yield tells the module:
 *
 *	u64 lo, hi;	the thread's stack bounds (Go's g.stack)
 *	u64 id, pc;	the context words (Go's g.goid, g.gopc)
 *	u64 guard;	the stack guard (Go's g.stackguard0)
 *	u8 preempt;	the preemption request (Go's g.preempt)
 *
 * "a" and "b" are goroutines the module may ask to yield.  "c"'s stack
 * guard is outside its stack and "z"'s id is 0 (a thread's g0): the
 * module must never ask them.  SIGURG plays Go's scheduler: it takes the
 * request back, as Go does when it resumes a goroutine, and the thread
 * goes on to its access at once (as Go does at an instruction that is no
 * safe point).  A request found in c or z ends the fixture with status
 * 3, a request without SIGURG never ends (test_yield counts the SIGURGs
 * that found one: "asked N").
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdatomic.h>
#include "fixture.h"

#define YIELD_ID	2000
#define YIELD_PC	0xc0de1000
#define STACK_PREEMPT	(~0UL - 1313)

struct fake_g {
	uint64_t lo, hi, id, pc, guard;
	uint8_t preempt;
};

static struct fake_g gs[4];
static __thread struct fake_g *my_g;
static atomic_long asked;

FIX_LOOP(loop_yield, site_yield, "addq $1, shared_word(%rip)");

/* yield_entry(g): R14 = g, then loop_yield forever. */
asm(".text\n"
    ".globl yield_entry\n"
    ".type yield_entry, @function\n"
    "yield_entry:\n"
    "	mov %rdi, %r14\n"
    "	jmp loop_yield\n"
    ".size yield_entry, . - yield_entry\n");
void yield_entry(struct fake_g *g);

static void on_urg(int sig)
{
	struct fake_g *g = my_g;

	(void)sig;
	if (!g || !g->preempt)
		return;
	if (g->id == 0 || g->guard != STACK_PREEMPT || g == &gs[2])
		_exit(3);
	atomic_fetch_add(&asked, 1);
	g->preempt = 0;
	g->guard = g->lo + 256;
}

static void run_yield(int i)
{
	struct fake_g *g = &gs[i];
	pthread_attr_t attr;
	size_t size;
	void *lo;

	if (pthread_getattr_np(pthread_self(), &attr) ||
	    pthread_attr_getstack(&attr, &lo, &size)) {
		fprintf(stderr, "fixture: no stack bounds\n");
		exit(1);
	}
	g->lo = (uintptr_t)lo;
	g->hi = g->lo + size;
	g->guard = i == 2 ? 0 : g->lo + 256;
	g->id = i == 3 ? 0 : YIELD_ID + i;
	g->pc = YIELD_PC + i;
	my_g = g;
	yield_entry(g);
}

static void *thread_a(void *arg)
{
	run_yield(0);
	return arg;
}

static void *thread_b(void *arg)
{
	run_yield(1);
	return arg;
}

static void *thread_c(void *arg)
{
	run_yield(2);
	return arg;
}

static void *thread_z(void *arg)
{
	run_yield(3);
	return arg;
}

/* Report the SIGURGs that found a request when the test closes stdin. */
static void report_asked(void)
{
	printf("asked %ld\n", atomic_load(&asked));
	fflush(stdout);
}

int main(void)
{
	static const struct fix_site sites[] = {
		{ "yield", site_yield, site_yield_end, RACETRAP_REG_RIP,
		  &shared_word, 8, RACETRAP_ACCESS_RMW, 0 },
		{ NULL },
	};
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_b, false },
		{ "c", thread_c, false },
		{ "z", thread_z, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, true };
	struct sigaction sa = { .sa_handler = on_urg };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGURG, &sa, NULL);
	atexit(report_asked);
	return fixture_run(&fx);
}
