// SPDX-License-Identifier: GPL-2.0
/*
 * Context words, for test_ctx: threads "a", "b" and "c" increment
 * shared_word with R14 pointing to a g-like block of their own, as Go's
 * register ABI keeps the running goroutine's g in R14:
 *
 *	u64 lo, hi;	the thread's stack bounds (Go's g.stack)
 *	u64 id, pc;	CTX_ID + i and CTX_PC + i, i = 0, 1, 2
 *
 * except that "c"'s bounds do not hold its stack pointer, so a kernel
 * that checks them must not take c's words.
 */
#define _GNU_SOURCE
#include "fixture.h"

#define CTX_ID	1000
#define CTX_PC	0xc0de0000

struct fake_g {
	uint64_t lo, hi, id, pc;
};

static struct fake_g gs[3];

FIX_LOOP(loop_ctx, site_ctx, "addq $1, shared_word(%rip)");

/* ctx_entry(g): R14 = g, then loop_ctx forever. */
asm(".text\n"
    ".globl ctx_entry\n"
    ".type ctx_entry, @function\n"
    "ctx_entry:\n"
    "	mov %rdi, %r14\n"
    "	jmp loop_ctx\n"
    ".size ctx_entry, . - ctx_entry\n");
void ctx_entry(struct fake_g *g);

static void run_ctx(int i)
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
	if (i == 2)
		g->hi = g->lo + 64;	/* cannot hold RSP */
	g->id = CTX_ID + i;
	g->pc = CTX_PC + i;
	ctx_entry(g);
}

static void *thread_a(void *arg)
{
	run_ctx(0);
	return arg;
}

static void *thread_b(void *arg)
{
	run_ctx(1);
	return arg;
}

static void *thread_c(void *arg)
{
	run_ctx(2);
	return arg;
}

int main(void)
{
	static const struct fix_site sites[] = {
		{ "ctx", site_ctx, site_ctx_end, RACETRAP_REG_RIP,
		  &shared_word, 8, RACETRAP_ACCESS_RMW, 0 },
		{ NULL },
	};
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_b, false },
		{ "c", thread_c, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
