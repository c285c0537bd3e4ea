// SPDX-License-Identifier: GPL-2.0
/*
 * Context words (racetrap_config.nr_ctx/ctx_off): fix_ctx's threads keep
 * a g-like block in R14 ({stack lo, hi, id, pc}); with stack_reg R14 and
 * ctx_off {16, 24} every record side must carry its own thread's id and
 * pc, flagged RACETRAP_SIDE_F_CTX, on the sampled and the trapped side;
 * thread "c", whose bounds do not hold its RSP, never gets the flag; and
 * a side never carries another thread's words.  Both triggers: with the
 * site trigger alone a 6.1 run once trapped only thread c in 30 s.
 */
#define _GNU_SOURCE
#include "engine.h"

#define CTX_SECS	30
#define CTX_ID		1000
#define CTX_PC		0xc0de0000

struct tally {
	const struct fx *f;
	int sampled_ctx, trapped_ctx, c_sides, c_ctx, wrong, plain;
};

/* 0, 1, 2 for threads a, b, c; -1 for any other. */
static int thread_index(const struct fx *f, uint32_t tid)
{
	static const char *const names[] = { "a", "b", "c" };
	int i;

	for (i = 0; i < 3; i++)
		if (tid == (uint32_t)fx_tid(f, names[i]))
			return i;
	return -1;
}

static void side(struct tally *t, const struct racetrap_side *sd,
		 const __u64 ctx[RACETRAP_MAX_CTX_WORDS], int *nr_ctx)
{
	int i = thread_index(t->f, sd->tid);

	if (i == 2)
		t->c_sides++;
	if (!(sd->flags & RACETRAP_SIDE_F_CTX)) {
		if (ctx[0] || ctx[1])
			t->wrong++;
		t->plain++;
		return;
	}
	if (i == 2)
		t->c_ctx++;
	if (i < 0 || ctx[0] != (__u64)(CTX_ID + i) ||
	    ctx[1] != (__u64)(CTX_PC + i)) {
		if (t->wrong++ < 4)
			ktap_diag("tid %u: words %llu %#llx", sd->tid,
				  (unsigned long long)ctx[0],
				  (unsigned long long)ctx[1]);
		return;
	}
	(*nr_ctx)++;
}

static bool check(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;

	if (rec->type != RACETRAP_REC_HIT)
		return false;
	side(t, &rec->sampled, rec->sampled_ctx, &t->sampled_ctx);
	side(t, &rec->trapped, rec->trapped_ctx, &t->trapped_ctx);
	return t->sampled_ctx >= 5 && t->trapped_ctx >= 5 && t->c_sides >= 5;
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE | RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000,
		.stack_reg = RACETRAP_REG_R14, .stack_off = 0,
		.nr_ctx = 2, .ctx_off = { 16, 24 },
	};
	struct tally t = { 0 };
	struct fx f;
	int fd;

	ktap_start(3);
	if (access(RACETRAP_DEVICE, R_OK | W_OK)) {
		ktap_skip("ctx_words_each_side", "no " RACETRAP_DEVICE);
		ktap_skip("ctx_words_only_own", "no " RACETRAP_DEVICE);
		ktap_skip("ctx_words_need_bounds", "no " RACETRAP_DEVICE);
		return ktap_finish();
	}
	if (!fx_start(&f, "ctx")) {
		ktap_result(false, "ctx_words_each_side");
		return ktap_finish();
	}
	t.f = &f;
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		ktap_result(false, "ctx_words_each_side");
		return ktap_finish();
	}
	rt_collect(fd, CTX_SECS, check, &t, NULL);
	rt_dump_stats(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("sides with words: %d sampled, %d trapped; %d without; thread c: %d sides, %d with words",
		  t.sampled_ctx, t.trapped_ctx, t.plain, t.c_sides, t.c_ctx);
	EXPECT_TRUE(t.sampled_ctx > 0 && t.trapped_ctx > 0,
		    "ctx_words_each_side", "no side carried its words");
	EXPECT_TRUE(!t.wrong, "ctx_words_only_own",
		    "%d sides with words that are not theirs", t.wrong);
	EXPECT_TRUE(t.c_sides > 0 && !t.c_ctx, "ctx_words_need_bounds",
		    "thread c: %d sides, %d with words", t.c_sides, t.c_ctx);
	return ktap_finish();
}
