// SPDX-License-Identifier: GPL-2.0
/*
 * Race fingerprints: FNV-1a as specified, order-independent, and stable
 * across two runs of the same PIE binary loaded at different addresses
 * (ASLR): each run's record is built from that run's real addresses.
 */
#include <inttypes.h>

#include "capture.h"
#include "fingerprint.h"

static void test_hash(void)
{
	char hex[RT_FINGERPRINT_LEN];

	/* Published FNV-1a 64 test vectors. */
	EXPECT_TRUE(rt_fnv1a(RT_FNV_OFFSET, "", 0) == 0xcbf29ce484222325ULL &&
		    rt_fnv1a(RT_FNV_OFFSET, "a", 1) == 0xaf63dc4c8601ec8cULL &&
		    rt_fnv1a(RT_FNV_OFFSET, "foobar", 6) == 0x85944171f73967e8ULL,
		    "fnv1a_vectors", "hash differs from FNV-1a 64");
	EXPECT_TRUE(rt_fingerprint("ab+0x10", "cd+0x20") ==
		    rt_fingerprint("cd+0x20", "ab+0x10") &&
		    rt_fingerprint("ab+0x10", "cd+0x20") !=
		    rt_fingerprint("ab+0x10", "cd+0x21") &&
		    rt_fingerprint("ab+0x10", NULL) !=
		    rt_fingerprint("ab+0x10", "ab+0x10"),
		    "fingerprint_unordered_pair", "order or content ignored");
	rt_fingerprint_hex(0x3f2a9c0d1b7e4a55ULL, hex);
	EXPECT_TRUE(!strcmp(hex, "3f2a9c0d1b7e4a55"), "fingerprint_hex", "%s", hex);
}

struct run {
	struct live l;
	uint64_t start;
	char fp[2][32];		/* writer/reader race, writer/bumper race */
	char expect[RT_FINGERPRINT_LEN];
};

static int one_run(struct run *r)
{
	const struct racetrap_site *w, *rd, *b;
	struct rt_analyzer_opts o = { .emit = capture_emit };
	struct racetrap_record rec;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	char err[256], sa[RT_SITE_NAME_MAX], sb[RT_SITE_NAME_MAX];
	uint64_t waddr, raddr, baddr, caller;

	if (live_start("sample_c", &r->l))
		return -1;
	r->start = r->l.map_start;
	waddr = live_site_addr(&r->l, "sample_writer", RACETRAP_ACCESS_WRITE, &w);
	raddr = live_site_addr(&r->l, "sample_reader", RACETRAP_ACCESS_READ, &rd);
	baddr = live_site_addr(&r->l, "sample_bumper", RACETRAP_ACCESS_RMW, &b);
	caller = live_func_addr(&r->l, "thread_main");
	o.emit_arg = &c;
	an = rt_analyzer_new(r->l.proc.pid, &o, err, sizeof(err));
	if (!an || !waddr || !raddr || !baddr)
		return -1;
	live_add_table(&r->l, an);
	make_hit(&r->l, &rec, rd, raddr, w, waddr, caller);
	rt_analyzer_feed(an, &rec);
	make_hit(&r->l, &rec, w, waddr, b, baddr, caller);
	rt_analyzer_feed(an, &rec);
	/* What the definition says, from the file offsets alone. */
	rt_site_name(sa, r->l.bin.table.build_id, rd->offset);
	rt_site_name(sb, r->l.bin.table.build_id, w->offset);
	rt_fingerprint_hex(rt_fingerprint(sa, sb), r->expect);
	if (c.n == 2) {
		memcpy(r->fp[0], c.fingerprint[0], 32);
		memcpy(r->fp[1], c.fingerprint[1], 32);
	}
	rt_analyzer_free(an);
	capture_free(&c);
	return 0;
}

static void test_aslr(void)
{
	struct run a = { 0 }, b = { 0 };
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "r");
	int aslr = 0;

	if (f) {
		if (fscanf(f, "%d", &aslr) != 1)
			aslr = 0;
		fclose(f);
	}
	if (one_run(&a) || one_run(&b)) {
		ktap_result(false, "two_runs");
		goto out;
	}
	ktap_diag("run 1 loaded at 0x%" PRIx64 ", run 2 at 0x%" PRIx64 ": %s / %s",
		  a.start, b.start, a.fp[0], b.fp[0]);
	if (aslr)
		EXPECT_TRUE(a.start != b.start, "aslr_moved_the_binary",
			    "both at 0x%" PRIx64, a.start);
	else
		ktap_skip("aslr_moved_the_binary", "ASLR is off on this host");
	EXPECT_TRUE(a.fp[0][0] && !strcmp(a.fp[0], b.fp[0]) &&
		    !strcmp(a.fp[1], b.fp[1]), "fingerprint_stable_across_runs",
		    "%s/%s vs %s/%s", a.fp[0], a.fp[1], b.fp[0], b.fp[1]);
	EXPECT_TRUE(!strcmp(a.fp[0], a.expect), "fingerprint_is_defined_pair",
		    "%s, by definition %s", a.fp[0], a.expect);
	EXPECT_TRUE(strcmp(a.fp[0], a.fp[1]) != 0, "distinct_races_distinct",
		    "two races share %s", a.fp[0]);
out:
	live_free(&a.l);
	live_free(&b.l);
}

int main(void)
{
	ktap_start(7);
	test_hash();
	test_aslr();
	return ktap_finish();
}
