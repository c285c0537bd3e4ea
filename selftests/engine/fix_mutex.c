// SPDX-License-Identifier: GPL-2.0
/* No race: both threads increment shared_word holding one mutex. */
#include "fixture.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The increment, alone in a function so the sampled site is its entry. */
asm(".text\n"
    ".globl crit_inc\n"
    ".type crit_inc, @function\n"
    "crit_inc:\n"
    ".globl site_inc\n"
    "site_inc:\n"
    "	addq $1, shared_word(%rip)\n"
    ".globl site_inc_end\n"
    "site_inc_end:\n"
    "	ret\n"
    ".size crit_inc, . - crit_inc\n");
extern const char site_inc[], site_inc_end[];
void crit_inc(void);

static void *thread_fn(void *arg)
{
	for (;;) {
		pthread_mutex_lock(&lock);
		crit_inc();
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static const struct fix_site sites[] = {
	{ "inc", site_inc, site_inc_end, RACETRAP_REG_RIP, &shared_word, 8,
	  RACETRAP_ACCESS_RMW, 0 },
	{ NULL },
};

static const struct fix_thread threads[] = {
	{ "a", thread_fn, false },
	{ "b", thread_fn, false },
	{ NULL },
};

int main(void)
{
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
