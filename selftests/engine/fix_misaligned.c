// SPDX-License-Identifier: GPL-2.0
/*
 * Misaligned stores near a watched word.  Thread "a" reads the first
 * word of a page; thread "c" stores 4 bytes at offset 3 of that page,
 * over the word (a race); thread "b" stores 4 bytes at offset 0x103,
 * in the same page but clear of the word (no race).  QEMU 7.2's TCG
 * reports a write watchpoint as hit by "b"'s store (module/watch.c).
 */
#include "fixture.h"

uint64_t misaligned_page[512] __attribute__((aligned(4096)));

FIX_LOOP(loop_a, site_a, "movq misaligned_page(%rip), %rdx");
FIX_LOOP(loop_b, site_b, "movl %eax, misaligned_page+0x103(%rip)");
FIX_LOOP(loop_c, site_c, "movl %eax, misaligned_page+0x3(%rip)");

FIX_THREAD(thread_a, loop_a)
FIX_THREAD(thread_b, loop_b)
FIX_THREAD(thread_c, loop_c)

int main(void)
{
	const char *page = (const char *)misaligned_page;
	const struct fix_site sites[] = {
		{ "a", site_a, site_a_end, RACETRAP_REG_RIP, page,
		  8, RACETRAP_ACCESS_READ, 0 },
		{ "b", site_b, site_b_end, RACETRAP_REG_RIP, page + 0x103,
		  4, RACETRAP_ACCESS_WRITE, 0 },
		{ "c", site_c, site_c_end, RACETRAP_REG_RIP, page + 0x3,
		  4, RACETRAP_ACCESS_WRITE, 0 },
		{ NULL },
	};
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_b, false },
		{ "c", thread_c, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, false };

	return fixture_run(&fx);
}
