// SPDX-License-Identifier: GPL-2.0
/*
 * Frames: a frame-pointer walk through code that uses %rbp as data must
 * stop, not invent frames.  fix_rbpdata races in three threads whose
 * %rbp holds a small number, a fake frame on the stack whose "return
 * address" is 0x1, and a fake frame in the heap.  Every stack entry
 * after the first (the access itself) of every record, on both sides,
 * must lie in an executable mapping of the fixture; and each thread's
 * stack must have been checked at least once.
 */
#define _GNU_SOURCE
#include "engine.h"

#define FRAMES_SECS	30

struct code {
	uint64_t start[64], end[64];
	int n;
};

struct tally {
	const struct fx *f;
	struct code code;
	int checked[3], bad, records;
};

static void read_code(pid_t pid, struct code *c)
{
	char path[64], line[512], perms[8];
	unsigned long long s, e;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	c->n = 0;
	while (f && fgets(line, sizeof(line), f) && c->n < 64)
		if (sscanf(line, "%llx-%llx %7s", &s, &e, perms) == 3 &&
		    strchr(perms, 'x')) {
			c->start[c->n] = s;
			c->end[c->n++] = e;
		}
	if (f)
		fclose(f);
}

static bool in_code(const struct code *c, uint64_t a)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (a >= c->start[i] && a < c->end[i])
			return true;
	return false;
}

static void side(struct tally *t, const struct racetrap_side *s)
{
	static const char *const names[] = { "a", "b", "c" };
	int i;

	for (i = 1; i < s->nr_frames && i < RACETRAP_MAX_STACK; i++)
		if (!in_code(&t->code, s->stack[i])) {
			if (t->bad++ < 5)
				ktap_diag("tid %u frame #%d %#llx is not code",
					  s->tid, i,
					  (unsigned long long)s->stack[i]);
			return;
		}
	for (i = 0; i < 3; i++)
		if (s->tid == (uint32_t)fx_tid(t->f, names[i]))
			t->checked[i]++;
}

static bool count(const struct racetrap_record *rec, void *arg)
{
	struct tally *t = arg;

	if (rec->type != RACETRAP_REC_HIT &&
	    rec->type != RACETRAP_REC_VALUE_CHANGE)
		return false;
	t->records++;
	side(t, &rec->sampled);
	if (rec->type == RACETRAP_REC_HIT)
		side(t, &rec->trapped);
	return t->checked[0] >= 3 && t->checked[1] >= 3 && t->checked[2] >= 3;
}

int main(void)
{
	struct racetrap_config cfg = { .budget_ppm = 1000000 };
	struct tally t = { 0 };
	struct fx f;
	int fd;

	ktap_start(2);
	if (access(RACETRAP_DEVICE, R_OK | W_OK)) {
		ktap_skip("frames_only_code", "no " RACETRAP_DEVICE);
		ktap_skip("frames_every_thread_checked", "no " RACETRAP_DEVICE);
		return ktap_finish();
	}
	if (!fx_start(&f, "rbpdata")) {
		ktap_result(false, "frames_only_code");
		return ktap_finish();
	}
	t.f = &f;
	read_code(f.pid, &t.code);
	fd = rt_attach_fx_config(&f, &cfg);
	if (fd < 0) {
		ktap_result(false, "frames_only_code");
		return ktap_finish();
	}
	rt_collect(fd, FRAMES_SECS, count, &t, NULL);
	rt_dump_stats(fd);
	close(fd);
	fx_stop(&f);
	ktap_diag("%d records; stacks checked: a %d, b %d, c %d", t.records,
		  t.checked[0], t.checked[1], t.checked[2]);
	EXPECT_TRUE(!t.bad, "frames_only_code", "%d stacks with a frame outside code",
		    t.bad);
	EXPECT_TRUE(t.checked[0] && t.checked[1] && t.checked[2],
		    "frames_every_thread_checked", "a thread never sampled or trapped");
	return ktap_finish();
}
