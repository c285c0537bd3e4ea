// SPDX-License-Identifier: GPL-2.0
/*
 * Goroutine windows (racetrap_config.go_preempt_off, go_guard_off):
 * fix_yield's threads keep a g-like block in R14, as Go keeps the
 * running goroutine's g, and all increment one word.  With the block's
 * offsets configured, a window sampled in "a" or "b" must ask for a
 * preemption (the request and the guard written, SIGURG sent: the
 * fixture counts the signals that found one) instead of holding the
 * thread, count YIELDS and YIELDS_BACK (their own access, which the
 * fixture makes at once, ends the window), and report the other threads'
 * traps in it; a side must never be reported against itself; and "c"
 * (its guard outside its stack) and "z" (goroutine id 0, a thread's
 * g0) must never be asked (the fixture exits 3 if one is).
 */
#define _GNU_SOURCE
#include "engine.h"

#define YIELD_SECS	20
/*
 * A window ended by its goroutine's own access is rare where the kernel
 * is slow (1 of 124 under the debug kernel; 9 of 189 under Debian's):
 * up to this many more rounds until one is seen.
 */
#define YIELD_MORE	3
#define YIELD_ID	2000

struct tally {
	int from_ab, self;
};

static bool check(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;
	__u64 s = rec->sampled_ctx[0], x = rec->trapped_ctx[0];

	if (rec->type != RACETRAP_REC_HIT)
		return false;
	if ((rec->sampled.flags & RACETRAP_SIDE_F_CTX) &&
	    (rec->trapped.flags & RACETRAP_SIDE_F_CTX) && s == x)
		t->self++;
	if ((rec->sampled.flags & RACETRAP_SIDE_F_CTX) &&
	    (s == YIELD_ID || s == YIELD_ID + 1))
		t->from_ab++;
	return false;
}

/* Close the fixture's stdin and read its "asked N" before it exits. */
static long fixture_asked(struct fx *f)
{
	char line[128];
	long n = -1;

	close(f->to);
	f->to = -1;
	while (fgets(line, sizeof(line), f->out))
		if (sscanf(line, "asked %ld", &n) == 1)
			break;
	return n;
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000,
		.stack_reg = RACETRAP_REG_R14, .stack_off = 0,
		.nr_ctx = 2, .ctx_off = { 16, 24 },
		.go_guard_off = 32, .go_preempt_off = 40,
	};
	struct tally t = { 0 };
	uint64_t yields, back;
	int fd, status;
	long asked;
	struct fx f;

	ktap_start(4);
	if (access(RACETRAP_DEVICE, R_OK | W_OK)) {
		ktap_skip("yield_asked", "no " RACETRAP_DEVICE);
		ktap_skip("yield_reports_others", "no " RACETRAP_DEVICE);
		ktap_skip("yield_never_self", "no " RACETRAP_DEVICE);
		ktap_skip("yield_only_proven_g", "no " RACETRAP_DEVICE);
		return ktap_finish();
	}
	if (!fx_start(&f, "yield")) {
		ktap_result(false, "yield_asked");
		return ktap_finish();
	}
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		ktap_result(false, "yield_asked");
		fx_stop(&f);
		return ktap_finish();
	}
	rt_collect(fd, YIELD_SECS, check, &t, NULL);
	for (int i = 0; i < YIELD_MORE &&
	     !rt_stat(fd, RACETRAP_STAT_YIELDS_BACK); i++)
		rt_collect(fd, YIELD_SECS, check, &t, NULL);
	yields = rt_stat(fd, RACETRAP_STAT_YIELDS);
	back = rt_stat(fd, RACETRAP_STAT_YIELDS_BACK);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	asked = fixture_asked(&f);
	status = fx_stop(&f);
	ktap_diag("yields %llu, ended by the own access %llu; SIGURGs with a request %ld; hits sampled in a or b %d, against itself %d; fixture status %#x",
		  (unsigned long long)yields, (unsigned long long)back, asked,
		  t.from_ab, t.self, status);
	EXPECT_TRUE(yields > 0 && back > 0 && asked > 0, "yield_asked",
		    "yields %llu back %llu asked %ld",
		    (unsigned long long)yields, (unsigned long long)back, asked);
	EXPECT_TRUE(t.from_ab > 0, "yield_reports_others",
		    "no hit in a window of a or b");
	EXPECT_TRUE(!t.self, "yield_never_self",
		    "%d hits of a thread against itself", t.self);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "yield_only_proven_g",
		    "fixture status %#x (3: c or z was asked)", status);
	return ktap_finish();
}
