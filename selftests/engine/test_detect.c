// SPDX-License-Identifier: GPL-2.0
/*
 * Detection: racy fixtures must produce HIT records naming both racing
 * threads and instructions within 10 s; race-free fixtures must produce
 * none in the same time, while the counters show the engine did watch.
 * Deterministic by construction: the racing threads never stop, so every
 * window the sampler opens has the other thread's access inside it.
 */
#define _GNU_SOURCE
#include "engine.h"

#define DETECT_SECS	10

struct tally {
	const struct fx *f;
	int hits, pairs, changes, locked_one, sampled_b;
	bool stop_on_pair, stop_on_b;
};

/* Does @rec show thread @sa at site @a caught by thread @tb after @b? */
static bool pair(const struct racetrap_record *rec, const struct fx *f,
		 const char *a, const char *ta, const char *b, const char *tb)
{
	const struct fx_site *sa = fx_site(f, a), *sb = fx_site(f, b);

	return sa && sb && rec->sampled.ip == sa->addr &&
	       rec->sampled.tid == (uint32_t)fx_tid(f, ta) &&
	       rec->sampled.addr == f->word &&
	       rec->trapped.ip == sb->addr + sb->len &&
	       rec->trapped.tid == (uint32_t)fx_tid(f, tb) &&
	       (rec->trapped.flags & RACETRAP_SIDE_F_AFTER) &&
	       (rec->trapped.flags & RACETRAP_SIDE_F_KNOWN) &&
	       rec->trapped.addr == f->word &&
	       rec->watch_addr == f->word && rec->watch_len == 8 &&
	       rec->sampled.nr_frames >= 2 &&
	       rec->sampled.stack[0] == sa->addr &&
	       rec->trapped.nr_frames >= 1 &&
	       rec->trapped.stack[0] == rec->trapped.ip;
}

static bool count(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;
	const struct fx *f = t->f;

	if (rec->size != sizeof(*rec) || rec->version != RACETRAP_ABI_VERSION)
		return false;
	if (rec->type == RACETRAP_REC_VALUE_CHANGE)
		t->changes++;
	if (rec->type != RACETRAP_REC_HIT)
		return false;
	t->hits++;
	if (!!(rec->sampled.flags & RACETRAP_SIDE_F_LOCKED) !=
	    !!(rec->trapped.flags & RACETRAP_SIDE_F_LOCKED))
		t->locked_one++;
	if (pair(rec, f, "b", "b", "a", "a"))
		t->sampled_b++;
	if (pair(rec, f, "a", "a", "b", "b") || pair(rec, f, "b", "b", "a", "a"))
		t->pairs++;
	else if (t->hits <= 3)
		ktap_diag("hit: sampled %u@%#llx trapped %u@%#llx addr %#llx",
			  rec->sampled.tid, (unsigned long long)rec->sampled.ip,
			  rec->trapped.tid, (unsigned long long)rec->trapped.ip,
			  (unsigned long long)rec->sampled.addr);
	if (t->stop_on_b)
		return t->sampled_b > 0;
	return t->stop_on_pair && t->pairs > 0;
}

/* Run fixture @name under a tracer for up to @secs. */
static bool run(const char *name, struct tally *t, bool stop_on_pair,
		uint64_t *stats, const enum racetrap_stat *want, int nr_want,
		bool late, uint32_t triggers)
{
	/*
	 * Clock-only runs must sample one particular thread, whichever
	 * thread the first windows took: the budget is not under test there.
	 */
	struct racetrap_config c = {
		.triggers = triggers,
		.budget_ppm = triggers == RACETRAP_TRIGGER_CLOCK ? 1000000 : 0,
	};
	struct fx f;
	double t0;
	int fd, i;

	memset(t, 0, sizeof(*t));
	t->f = &f;
	t->stop_on_pair = stop_on_pair;
	t->stop_on_b = triggers == RACETRAP_TRIGGER_CLOCK && late;
	if (!fx_start(&f, name))
		return false;
	fd = rt_attach_fx_config(&f, &c);
	if (fd < 0)
		return false;
	if (late) {
		fx_cmd(&f, "go\n");
		if (!fx_read_until(&f, "started") || !fx_tid(&f, "b")) {
			ktap_diag("late thread did not start");
			close(fd);
			fx_stop(&f);
			return false;
		}
	}
	t0 = now_s();
	rt_collect(fd, DETECT_SECS, count, t, NULL);
	ktap_diag("%s: %.1f s, %d hits (%d naming both threads), %d value changes",
		  name, now_s() - t0, t->hits, t->pairs, t->changes);
	rt_dump_stats(fd);
	for (i = 0; i < nr_want; i++)
		stats[i] = rt_stat(fd, want[i]);
	close(fd);
	fx_stop(&f);
	return true;
}

static void detect(const char *name, bool late)
{
	struct tally t;
	char test[64];

	snprintf(test, sizeof(test), "detect_%s", name);
	if (!run(name, &t, true, NULL, NULL, 0, late, 0)) {
		ktap_result(false, test);
		return;
	}
	EXPECT_TRUE(t.pairs > 0, "detect", "%s: no hit naming both threads",
		    name);
}

/*
 * Clock sampling alone must sample the thread created after attach: its
 * cpu-clock event can only be the copy inherited at clone.
 */
static void late_clock(void)
{
	struct tally t;

	if (!run("late", &t, false, NULL, NULL, 0, true,
		 RACETRAP_TRIGGER_CLOCK)) {
		ktap_result(false, "detect_late_clock_inherited");
		return;
	}
	EXPECT_TRUE(t.sampled_b > 0, "detect_late_clock_inherited",
		    "the late thread was never sampled by cpu-clock");
}

/* Race-free: no HIT at all, and the counter in @proof moved. */
static void clean(const char *name, enum racetrap_stat proof,
		  enum racetrap_stat proof2)
{
	const enum racetrap_stat want[] = { proof, proof2 };
	uint64_t got[2] = { 0, 0 };
	struct tally t;
	char test[64];
	bool ok;

	snprintf(test, sizeof(test), "clean_%s", name);
	if (!run(name, &t, false, got, want, 2, false, 0)) {
		ktap_result(false, test);
		return;
	}
	ok = t.hits == 0 && got[0] + got[1] > 0;
	if (!ok)
		ktap_diag("%s: %d hits, proof counters %llu+%llu", name, t.hits,
			  (unsigned long long)got[0], (unsigned long long)got[1]);
	ktap_result(ok, test);
}

/*
 * Locked "a" against plain "b".  Under TCG a locked RMW never trips a
 * watchpoint, so only windows sampling "a" can catch "b"; "a" is
 * clock-sampled (the clock alone is enough).
 */
static void mixed(void)
{
	struct tally t;

	if (!run("mixed", &t, true, NULL, NULL, 0, false,
		 RACETRAP_TRIGGER_CLOCK)) {
		ktap_result(false, "detect_mixed");
		return;
	}
	EXPECT_TRUE(t.pairs > 0 && t.locked_one > 0, "detect_mixed",
		    "pairs %d, locked-vs-plain %d", t.pairs, t.locked_one);
}

int main(void)
{
	ktap_start(8);
	detect("racy", false);
	detect("late", true);
	late_clock();
	mixed();
	clean("mutex", RACETRAP_STAT_WATCHES, RACETRAP_STAT_WATCHES);
	/*
	 * QEMU's TCG does not fire data watchpoints for locked RMW
	 * instructions, so under TCG the proof is the windows opened; on
	 * hardware the dropped atomic pairs are counted too.
	 */
	clean("atomic", RACETRAP_STAT_HITS_ATOMIC, RACETRAP_STAT_WATCHES);
	clean("tls", RACETRAP_STAT_WATCHES, RACETRAP_STAT_SKIP_STACK);
	clean("readonly", RACETRAP_STAT_WATCHES, RACETRAP_STAT_WATCHES);
	return ktap_finish();
}
