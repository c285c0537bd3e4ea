// SPDX-License-Identifier: GPL-2.0
/*
 * Site rotations are charged to the budget, and wait for it.  fix_late's
 * thread "a" burns CPU while thread "b" is not started, and only b's site
 * is given: its breakpoints never fire, so nothing but rotations costs
 * the target anything.  While the target runs, rotations follow
 * site_rotate_ms and the breakpoints they arm and take out show in
 * COST_ROTATE_NS; while it is stopped (it earns nothing) a 1% budget
 * lets at most one more rotation through and the tick counts the others
 * as deferred; at 100% the rotations go on at their interval, stopped
 * target or not.
 */
#define _GNU_SOURCE
#include <signal.h>
#include "engine.h"

#define NR_TESTS	4

static const char *const names[NR_TESTS] = {
	"rotate_while_running", "rotate_cost_charged",
	"rotate_waits_for_earnings", "rotate_unbudgeted_keeps_pace",
};

static int attach_site_b(struct fx *f, struct racetrap_config *cfg)
{
	const struct fx_site *b = fx_site(f, "b");
	struct racetrap_site t;
	int fd = rt_open();

	if (fd < 0 || !b || rt_attach(fd, f->pid)) {
		ktap_diag("attach: %s", strerror(errno));
		goto err;
	}
	t = (struct racetrap_site){
		.offset = b->off, .disp = b->disp, .len = b->len,
		.base = b->base, .size = b->size, .access = b->access,
		.flags = b->flags,
	};
	if (rt_add_table(fd, f->pid, &t, 1) < 0 || rt_config_set(fd, cfg)) {
		ktap_diag("sites or config: %s", strerror(errno));
		goto err;
	}
	return fd;
err:
	if (fd >= 0)
		close(fd);
	return -1;
}

int main(void)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE, .budget_ppm = 10000,
		.site_rotate_ms = 50,
	};
	uint64_t rot0, rot_run, rot1, def1, rot2, def2, rot3, cost, cost_all;
	struct fx f;
	int fd;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "late"))
		return rt_fail_named(names, NR_TESTS);
	fd = attach_site_b(&f, &cfg);
	if (fd < 0) {
		fx_stop(&f);
		return rt_fail_named(names, NR_TESTS);
	}

	rot0 = rt_stat(fd, RACETRAP_STAT_ROTATIONS);
	rt_collect(fd, 2, NULL, NULL, NULL);
	rot_run = rt_stat(fd, RACETRAP_STAT_ROTATIONS);
	cost = rt_stat(fd, RACETRAP_STAT_COST_ROTATE_NS);
	cost_all = rt_stat(fd, RACETRAP_STAT_COST_NS);

	kill(f.pid, SIGSTOP);
	rt_collect(fd, 0.5, NULL, NULL, NULL);
	rot1 = rt_stat(fd, RACETRAP_STAT_ROTATIONS);
	def1 = rt_stat(fd, RACETRAP_STAT_ROTATIONS_DEFERRED);
	rt_collect(fd, 2, NULL, NULL, NULL);
	rot2 = rt_stat(fd, RACETRAP_STAT_ROTATIONS);
	def2 = rt_stat(fd, RACETRAP_STAT_ROTATIONS_DEFERRED);

	cfg.budget_ppm = 1000000;
	rt_config_set(fd, &cfg);
	rt_collect(fd, 1, NULL, NULL, NULL);
	rot3 = rt_stat(fd, RACETRAP_STAT_ROTATIONS);
	rt_dump_stats(fd);
	kill(f.pid, SIGCONT);
	close(fd);
	fx_stop(&f);

	EXPECT_TRUE(rot_run - rot0 >= 2, "rotate_while_running",
		    "%" PRIu64 " rotations in 2 s of a running target",
		    rot_run - rot0);
	EXPECT_TRUE(cost > 0 && cost <= cost_all, "rotate_cost_charged",
		    "rotation cost %" PRIu64 " ns of %" PRIu64 " ns charged",
		    cost, cost_all);
	EXPECT_TRUE(rot2 - rot1 <= 1 && def2 - def1 >= 10,
		    "rotate_waits_for_earnings",
		    "stopped target, 2 s at 1%%: %" PRIu64
		    " rotations, %" PRIu64 " ticks deferred",
		    rot2 - rot1, def2 - def1);
	EXPECT_TRUE(rot3 - rot2 >= 5, "rotate_unbudgeted_keeps_pace",
		    "stopped target, 1 s at 100%%: %" PRIu64 " rotations",
		    rot3 - rot2);
	return ktap_finish();
}
