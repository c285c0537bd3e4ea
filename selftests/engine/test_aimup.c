// SPDX-License-Identifier: GPL-2.0
/*
 * The clock trigger aims up the stack.  fix_aimup's threads spend nearly
 * all their time in a function without sites and make their racy access
 * right after it returns; fix_aimback's make it before the call, with no
 * site after it, as a request handler makes its own accesses between
 * calls into the runtime.  With the clock trigger alone and an unlimited
 * budget, ticks in that function must be aimed at the caller's site
 * (CLOCK_AIMS_UP) and the race reported from a clock sample of it.  For
 * fix_aimback that takes the draw among all the sites of the caller's
 * function: drawn only after the return address, no aim goes up (0 in
 * 16 228 ticks in the VM) and the site is sampled only when a tick lands
 * on it.
 */
#define _GNU_SOURCE
#include "engine.h"

#define AIMUP_SECS	30
/* fix_aimback.c: the call (5 bytes), 80 bytes of nops, a short jmp. */
#define AIMBACK_TAIL	(5 + 80 + 2)
#define NR_TESTS	4

static const char *const names[NR_TESTS] = {
	"aimup_aims_at_caller", "aimup_race_reported",
	"aimback_aims_before_return", "aimback_race_reported",
};

struct tally {
	const struct fx *f;
	const char *site;
	int clock_hits;
};

static bool check(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;
	const struct fx_site *s = fx_site(t->f, t->site);

	if (rec->type == RACETRAP_REC_HIT &&
	    rec->trigger == RACETRAP_REC_TRIGGER_CLOCK && s &&
	    rec->sampled.ip == s->addr && rec->trapped.ip == s->addr + s->len)
		t->clock_hits++;
	return t->clock_hits >= 3;
}

/* Run fixture @name; false if it could not be attached. */
static bool run(const char *name, const char *const *tests, int tail)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_CLOCK, .budget_ppm = 1000000,
	};
	struct tally t = { .site = name };
	uint64_t up, misses;
	struct fx f;
	int fd, i;

	if (!fx_start(&f, name))
		return false;
	t.f = &f;
	/* The site's function, for the draw among its sites. */
	for (i = 0; tail && i < f.nr_sites; i++) {
		f.sites[i].flags |= RACETRAP_SITE_F_FUNC_START;
		f.sites[i].func_tail = f.sites[i].len + tail;
	}
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0)
		return false;
	rt_collect(fd, AIMUP_SECS, check, &t, NULL);
	rt_dump_stats(fd);
	up = rt_stat(fd, RACETRAP_STAT_CLOCK_AIMS_UP);
	misses = rt_stat(fd, RACETRAP_STAT_CLOCK_MISSES);
	close(fd);
	fx_stop(&f);
	if (!up)
		ktap_diag("%s: 0 of %llu misses aimed up the stack", tests[0],
			  (unsigned long long)misses);
	ktap_result(up > 0, tests[0]);
	if (!t.clock_hits)
		ktap_diag("%s: no clock sample of the site caught the other thread",
			  tests[1]);
	ktap_result(t.clock_hits > 0, tests[1]);
	return true;
}

int main(void)
{
	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!run("aimup", names, 0)) {
		ktap_result(false, names[0]);
		ktap_result(false, names[1]);
	}
	if (!run("aimback", names + 2, AIMBACK_TAIL)) {
		ktap_result(false, names[2]);
		ktap_result(false, names[3]);
	}
	return ktap_finish();
}
