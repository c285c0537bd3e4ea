// SPDX-License-Identifier: GPL-2.0
/*
 * Values: every before/after pair a record shows must be one the program
 * could have produced.  fix_values stores a known counter (odd, and
 * monotonic from 4 bytes up) into fields of every size (1, 2, 4, 8, 16)
 * and alignment, surrounded by 0xa5 bytes; one thread writes page A,
 * a process racetrap does not watch writes page B.  Checked for every
 * HIT (page A) and every VALUE_CHANGE (page B: the unseen writer):
 *  - both values readable (never a failed read shown as 0), the bytes
 *    outside the field 0xa5, the field odd;
 *  - from 4 bytes up, a trapped write that ran (not
 *    RACETRAP_SIDE_F_PENDING) moved the counter forward (1 and 2 bytes
 *    wrap within a window, so there only the above holds);
 *  - a sampled writer (the only writer of A, held) saw no change;
 *  - an unseen writer's change moved the counter forward.
 * A HIT whose trapped store cannot have touched the watched range is
 * what the analyzer drops as misattributed (a late #DB): counted apart.
 * In the test VM (the rig's tcg_store_check is set) a trapped write that
 * left the counter where it was is counted apart too: QEMU's TCG traps a
 * store again, with the value it already wrote, in a thread that holds
 * an execute breakpoint (Documentation/testing.rst, "Phantom watchpoint
 * hits"); on a real host it is impossible.  Every case must be checked
 * at least once, both ways.
 */
#define _GNU_SOURCE
#include "engine.h"

#define VALUES_SECS	60
#define NR_CASES	10

static const struct { int size, disp; } cases[NR_CASES] = {
	{ 1, 0 }, { 1, 67 }, { 2, 128 }, { 2, 193 }, { 4, 256 },
	{ 4, 322 }, { 8, 384 }, { 8, 452 }, { 16, 512 }, { 16, 584 },
};

struct tally {
	uint64_t page;			/* A; B is page + 4096 */
	int hits[NR_CASES], changes[NR_CASES];
	int bad_hit, bad_change, unknown, pending, other, changes_a;
	int misattributed;	/* see check() */
	int reruns;		/* see check() */
};

/* The test VM: the rig loads the module with tcg_store_check. */
static bool under_rig;

/* Is the module's boolean parameter @name set (Y)? */
static bool rig_param_on(const char *name)
{
	char v[8];

	return rt_param_read(name, v, sizeof(v)) && v[0] == 'Y';
}

/*
 * The field's bytes that the watched range holds, as a number (the
 * field's first byte is always watched), and whether every byte around
 * it is the 0xa5 filler.  *n: how many field bytes were watched.
 */
static bool field_value(uint64_t v, uint64_t waddr, uint32_t wlen,
			uint64_t faddr, int fsize, uint64_t *out, int *n)
{
	uint32_t j;

	*out = 0;
	*n = 0;
	if (fsize > 8)
		fsize = 8;
	for (j = 0; j < wlen; j++) {
		uint8_t byte = v >> (8 * j);
		uint64_t a = waddr + j;

		if (a >= faddr && a < faddr + fsize) {
			*out |= (uint64_t)byte << (8 * (a - faddr));
			(*n)++;
		} else if (byte != 0xa5) {
			return false;
		}
	}
	return *n > 0 && (*out & 1);
}

static void bad(struct tally *t, const struct racetrap_record *rec,
		const char *why)
{
	int *nr = rec->type == RACETRAP_REC_HIT ? &t->bad_hit : &t->bad_change;

	if ((*nr)++ < 8)
		ktap_diag("impossible: %s: type %u watch %#llx/%u before %#llx after %#llx flags %#x sampled %u@%#llx trapped %u@%#llx flags %#x addr %#llx",
			  why, rec->type, (unsigned long long)rec->watch_addr,
			  rec->watch_len,
			  (unsigned long long)rec->value_before,
			  (unsigned long long)rec->value_after, rec->flags,
			  rec->sampled.tid,
			  (unsigned long long)rec->sampled.ip,
			  rec->trapped.tid,
			  (unsigned long long)rec->trapped.ip,
			  rec->trapped.flags,
			  (unsigned long long)rec->trapped.addr);
}

/* Every case checked both ways, a few times: enough. */
static bool done(const struct tally *t)
{
	int c;

	for (c = 0; c < NR_CASES; c++)
		if (t->hits[c] < 3 || t->changes[c] < 3)
			return false;
	return true;
}

static bool check(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;
	uint64_t before, after, base;
	int c, n, nb, na, page;

	if (rec->type != RACETRAP_REC_HIT &&
	    rec->type != RACETRAP_REC_VALUE_CHANGE)
		return false;
	if (rec->watch_addr < t->page || rec->watch_addr >= t->page + 8192) {
		t->other++;
		return false;
	}
	page = rec->watch_addr >= t->page + 4096;
	base = t->page + 4096 * page;
	for (c = 0; c < NR_CASES; c++)
		if (base + cases[c].disp >= rec->watch_addr &&
		    base + cases[c].disp < rec->watch_addr + rec->watch_len)
			break;
	if (c == NR_CASES) {
		bad(t, rec, "watch range holds no field");
		return false;
	}
	if (rec->flags & (RACETRAP_REC_F_VALUE_BEFORE_UNKNOWN |
			  RACETRAP_REC_F_VALUE_AFTER_UNKNOWN)) {
		t->unknown++;
		return false;
	}
	if (!field_value(rec->value_before, rec->watch_addr, rec->watch_len,
			 base + cases[c].disp, cases[c].size, &before, &nb) ||
	    !field_value(rec->value_after, rec->watch_addr, rec->watch_len,
			 base + cases[c].disp, cases[c].size, &after, &na)) {
		bad(t, rec, "a value the program never stored");
		return false;
	}
	n = nb;
	if (rec->type == RACETRAP_REC_VALUE_CHANGE) {
		if (before == after || (n >= 4 && after < before))
			bad(t, rec, "an unseen writer's change that is none");
		else if (page)
			t->changes[c]++;
		else
			t->changes_a++;	/* w wrote just before the arming */
		return done(t);
	}
	if (page) {
		bad(t, rec, "a trap on page B, which no traced thread writes");
		return false;
	}
	/*
	 * A trap pinned on a store that cannot have made it (QEMU TCG
	 * delivers some #DB one instruction late): racetrap's analyzer
	 * drops such a record (rt_verdict_misattributed), so no report
	 * shows its values; it is the access of another window or none.
	 */
	if ((rec->trapped.flags & RACETRAP_SIDE_F_KNOWN) &&
	    rec->trapped.access == RACETRAP_ACCESS_WRITE &&
	    (rec->trapped.addr + rec->trapped.size <= rec->watch_addr ||
	     rec->trapped.addr >= rec->watch_addr + rec->watch_len)) {
		t->misattributed++;
		return false;
	}
	if (rec->sampled.access & RACETRAP_ACCESS_WRITE) {
		/* The sampled thread is A's only writer, and it was held. */
		if (before != after)
			bad(t, rec, "a change while A's only writer was held");
		else
			t->hits[c]++;
		return false;
	}
	if (rec->trapped.flags & RACETRAP_SIDE_F_PENDING) {
		t->pending++;
		if (n >= 4 && after < before)
			bad(t, rec, "the counter went back");
		else
			t->hits[c]++;
		return false;
	}
	/*
	 * 1 and 2 bytes wrap every 128 and 32768 stores, and the writer
	 * can make that many between the two reads: only odd is required.
	 */
	if (n >= 4 && after == before && under_rig) {
		t->reruns++;
	} else if (n >= 4 && after <= before) {
		bad(t, rec, after == before ?
			    "a trapped write that changed nothing" :
			    "a trapped write that moved the counter back");
	} else {
		t->hits[c]++;
	}
	return done(t);
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE, .budget_ppm = 1000000,
		.max_watchpoints = RACETRAP_MAX_WATCHPOINTS,
	};
	struct tally t = { 0 };
	bool hits_all = true, changes_all = true;
	struct fx f;
	int fd, c;

	ktap_start(3);
	under_rig = rig_param_on("tcg_store_check");
	if (access(RACETRAP_DEVICE, R_OK | W_OK)) {
		ktap_skip("values_hits_possible", "no " RACETRAP_DEVICE);
		ktap_skip("values_unseen_writer_possible", "no " RACETRAP_DEVICE);
		ktap_skip("values_every_size_and_alignment", "no " RACETRAP_DEVICE);
		return ktap_finish();
	}
	if (!fx_start(&f, "values")) {
		ktap_result(false, "values_hits_possible");
		return ktap_finish();
	}
	t.page = f.word;
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		ktap_result(false, "values_hits_possible");
		return ktap_finish();
	}
	rt_collect(fd, VALUES_SECS, check, &t, NULL);
	rt_dump_stats(fd);
	close(fd);
	fx_stop(&f);
	for (c = 0; c < NR_CASES; c++) {
		ktap_diag("size %2d at +%d: %d hits, %d unseen-writer changes",
			  cases[c].size, cases[c].disp % 64, t.hits[c],
			  t.changes[c]);
		hits_all &= t.hits[c] > 0;
		changes_all &= t.changes[c] > 0;
	}
	ktap_diag("%d with an unreadable value, %d caught before their access, %d changes on A, %d elsewhere, %d traps pinned on a store outside the watch",
		  t.unknown, t.pending, t.changes_a, t.other, t.misattributed);
	ktap_diag("%d unchanged trapped writes counted as the emulator's (%s)",
		  t.reruns, under_rig ? "test VM" : "not the test VM: none allowed");
	EXPECT_TRUE(!t.bad_hit, "values_hits_possible",
		    "%d impossible pairs", t.bad_hit);
	EXPECT_TRUE(!t.bad_change, "values_unseen_writer_possible",
		    "%d impossible pairs", t.bad_change);
	EXPECT_TRUE(hits_all && changes_all, "values_every_size_and_alignment",
		    "some case never checked");
	return ktap_finish();
}
