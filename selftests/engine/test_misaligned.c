// SPDX-License-Identifier: GPL-2.0
/*
 * A misaligned store beside a watched word is not a race; one over it
 * is.  fix_misaligned's thread "a" reads a page's first word, "c"
 * stores over it at offset 3, "b" stores at offset 0x103.  Both
 * triggers, unlimited budget, 10 s: "c" must be caught after "a"'s
 * read, and no trap may name "b"'s store.  Under the rig, QEMU's TCG
 * reports "b"'s stores as watchpoint hits and tcg_store_check drops them
 * (hits_emulator, printed); on hardware they never trap.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	2
#define SECS		10

struct tally {
	const struct fx *f;
	int hits, over, beside;
};

static bool count(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;
	const struct fx_site *b = fx_site(t->f, "b"), *c = fx_site(t->f, "c");

	if (rec->type != RACETRAP_REC_HIT)
		return false;
	t->hits++;
	if (rec->trapped.ip == b->addr + b->len)
		t->beside++;
	if (rec->trapped.ip == c->addr + c->len &&
	    rec->trapped.tid == (uint32_t)fx_tid(t->f, "c"))
		t->over++;
	return false;
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000,
	};
	struct tally t = { 0 };
	uint64_t dropped;
	struct fx f;
	int fd;

	ktap_start(NR_TESTS);
	if (access(RACETRAP_DEVICE, R_OK | W_OK)) {
		ktap_skip("misaligned_store_beside_never_trapped",
			  "no " RACETRAP_DEVICE);
		ktap_skip("misaligned_store_over_caught", "no " RACETRAP_DEVICE);
		return ktap_finish();
	}
	t.f = &f;
	if (!fx_start(&f, "misaligned") ||
	    !fx_site(&f, "b") || !fx_site(&f, "c") ||
	    (fd = rt_attach_fx_config(&f, &cfg)) < 0) {
		ktap_result(false, "misaligned_store_beside_never_trapped");
		ktap_result(false, "misaligned_store_over_caught");
		return ktap_finish();
	}
	rt_collect(fd, SECS, count, &t, NULL);
	dropped = rt_stat(fd, RACETRAP_STAT_HITS_EMULATOR);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("%d hits in %d s: %d of the store over the word, %d of the store beside it; %" PRIu64
		  " traps dropped as the emulator's",
		  t.hits, SECS, t.over, t.beside, dropped);
	EXPECT_TRUE(t.beside == 0, "misaligned_store_beside_never_trapped",
		    "%d traps name the store at offset 0x103", t.beside);
	EXPECT_TRUE(t.over > 0, "misaligned_store_over_caught",
		    "%d traps of the store at offset 3", t.over);
	return ktap_finish();
}
