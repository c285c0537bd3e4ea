// SPDX-License-Identifier: GPL-2.0
/*
 * Live sites.  Threads "a" and "b" race on shared_word in loops of their
 * own functions; cold_fn(), never called, holds NR_COLD loads of the same
 * word, each a site.  With function starts flagged, only the two loop
 * functions' sites should become live, and the site trigger's draws
 * should mostly land on them (module/sites.c).  Thread "spin" loops in
 * spin_fn(), right after cold_fn() and without a site, as a language
 * runtime left out of the table does: its ticks find cold_fn()'s last
 * site before them, which only the sites' func_tail tells apart.
 */
#include "fixture.h"

#define NR_COLD	200
#define COLD_INSN_LEN	7	/* movq shared_word(%rip), %rax: 48 8b 05 disp32 */

FIX_LOOP(loop_a, site_a, "movq shared_word(%rip), %rdx");
FIX_LOOP(loop_b, site_b, "movq %rax, shared_word(%rip)");

asm(".text\n"
    ".globl cold_fn\n"
    ".type cold_fn, @function\n"
    "cold_fn:\n"
    ".rept 200\n"
    "	movq shared_word(%rip), %rax\n"
    ".endr\n"
    ".globl cold_fn_end\n"
    "cold_fn_end:\n"
    "	ret\n"
    ".globl spin_fn\n"
    ".type spin_fn, @function\n"
    "spin_fn:\n"
    "1:	add $1, %rax\n"
    "	jmp 1b\n");
extern const char cold_fn[], cold_fn_end[];
void spin_fn(void);

FIX_THREAD(thread_a, loop_a)
FIX_THREAD(thread_b, loop_b)
FIX_THREAD(thread_spin, spin_fn)

int main(void)
{
	static struct fix_site sites[2 + NR_COLD + 1];
	static char names[NR_COLD][8];
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_b, false },
		{ "spin", thread_spin, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, false };
	int i;

	if (cold_fn_end - cold_fn != NR_COLD * COLD_INSN_LEN) {
		fprintf(stderr, "fix_live: cold_fn is %td bytes\n",
			cold_fn_end - cold_fn);
		return 1;
	}
	sites[0] = (struct fix_site){ "a", site_a, site_a_end,
		RACETRAP_REG_RIP, &shared_word, 8, RACETRAP_ACCESS_READ,
		RACETRAP_SITE_F_FUNC_START };
	sites[1] = (struct fix_site){ "b", site_b, site_b_end,
		RACETRAP_REG_RIP, &shared_word, 8, RACETRAP_ACCESS_WRITE,
		RACETRAP_SITE_F_FUNC_START };
	for (i = 0; i < NR_COLD; i++) {
		const char *at = cold_fn + i * COLD_INSN_LEN;

		snprintf(names[i], sizeof(names[i]), "c%d", i);
		sites[2 + i] = (struct fix_site){ names[i], at,
			at + COLD_INSN_LEN, RACETRAP_REG_RIP, &shared_word, 8,
			RACETRAP_ACCESS_READ,
			i ? 0 : RACETRAP_SITE_F_FUNC_START };
	}
	return fixture_run(&fx);
}
