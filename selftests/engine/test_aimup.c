// SPDX-License-Identifier: GPL-2.0
/*
 * The clock trigger aims up the stack: fix_aimup's threads spend nearly
 * all their time in a function without sites and make their racy access
 * right after it returns.  With the clock trigger alone, ticks in that
 * function must be aimed at the caller's site (CLOCK_AIMS_UP) and the
 * race must be reported from a clock sample of that site.
 */
#define _GNU_SOURCE
#include "engine.h"

#define AIMUP_SECS	30

struct tally {
	const struct fx *f;
	int clock_hits;
};

static bool check(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;
	const struct fx_site *s = fx_site(t->f, "aimup");

	if (rec->type == RACETRAP_REC_HIT &&
	    rec->trigger == RACETRAP_REC_TRIGGER_CLOCK && s &&
	    rec->sampled.ip == s->addr && rec->trapped.ip == s->addr + s->len)
		t->clock_hits++;
	return t->clock_hits >= 3;
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_CLOCK, .budget_ppm = 1000000,
	};
	struct tally t = { 0 };
	uint64_t up = 0, misses = 0;
	struct fx f;
	int fd;

	ktap_start(2);
	if (access(RACETRAP_DEVICE, R_OK | W_OK)) {
		ktap_skip("aimup_aims_at_caller", "no " RACETRAP_DEVICE);
		ktap_skip("aimup_race_reported", "no " RACETRAP_DEVICE);
		return ktap_finish();
	}
	if (!fx_start(&f, "aimup")) {
		ktap_result(false, "aimup_aims_at_caller");
		return ktap_finish();
	}
	t.f = &f;
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		ktap_result(false, "aimup_aims_at_caller");
		return ktap_finish();
	}
	rt_collect(fd, AIMUP_SECS, check, &t, NULL);
	rt_dump_stats(fd);
	up = rt_stat(fd, RACETRAP_STAT_CLOCK_AIMS_UP);
	misses = rt_stat(fd, RACETRAP_STAT_CLOCK_MISSES);
	close(fd);
	fx_stop(&f);
	EXPECT_TRUE(up > 0, "aimup_aims_at_caller",
		    "%llu of %llu misses aimed up the stack",
		    (unsigned long long)up, (unsigned long long)misses);
	EXPECT_TRUE(t.clock_hits > 0, "aimup_race_reported",
		    "no clock sample of the site caught the other thread");
	return ktap_finish();
}
