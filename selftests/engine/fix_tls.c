// SPDX-License-Identifier: GPL-2.0
/*
 * No race: each thread stores to its own thread-local word, through a
 * plain base register (not fs:), so only the addresses tell them apart.
 * One racer is the main thread, whose TLS is not on its stack mapping, so
 * its samples do arm watchpoints.
 */
#include "fixture.h"

static __thread uint64_t tls_word;

FIX_LOOP(loop_tls, site_tls, "movq %rax, (%rbx)");

/* tls_entry(p): store to *p forever (loop_tls uses rbx as its base). */
asm(".text\n"
    ".globl tls_entry\n"
    ".type tls_entry, @function\n"
    "tls_entry:\n"
    "	mov %rdi, %rbx\n"
    "	jmp loop_tls\n"
    ".size tls_entry, . - tls_entry\n");
void tls_entry(uint64_t *p);

static void run_tls(void)
{
	tls_entry(&tls_word);
}

static void *thread_b(void *arg)
{
	run_tls();
	return arg;
}

static const struct fix_site sites[] = {
	{ "tls", site_tls, site_tls_end, RACETRAP_REG_RBX, NULL, 8,
	  RACETRAP_ACCESS_WRITE, 0 },
	{ NULL },
};

static const struct fix_thread threads[] = {
	{ "b", thread_b, false },
	{ NULL },
};

/* Commands on a helper thread; the main thread runs the TLS loop. */
static void *commands(void *arg)
{
	const struct fixture fx = { sites, threads, false };

	exit(fixture_run(&fx));
	return arg;
}

int main(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, commands, NULL))
		return 1;
	run_tls();
	return 0;
}
