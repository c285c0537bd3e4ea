// SPDX-License-Identifier: GPL-2.0
/*
 * A site marked RACETRAP_SITE_F_NO_PROBE (an instruction the kernel's x86
 * uprobes would skip instead of stepping: Documentation/engine.rst, "Site
 * sampling") never gets a uprobe.  fix_racy's two threads run their sites
 * all the time; with every site so marked, the site trigger alone at an
 * unlimited budget rotates but arms nothing and samples nothing.  The
 * same table without the mark is probed and sampled, so the test can
 * fail.
 */
#define _GNU_SOURCE
#include "engine.h"

#define NR_TESTS	3

static const char *const names[NR_TESTS] = {
	"noprobe_never_armed", "noprobe_trigger_ran", "unmarked_sampled",
};

/* Attach with every site marked or not; collect 2 s; the stats. */
static int run(struct fx *f, bool marked, uint64_t *armed, uint64_t *rot,
	       uint64_t *samples)
{
	struct racetrap_config cfg = {
		.triggers = RACETRAP_TRIGGER_SITE, .budget_ppm = 1000000,
		.site_rotate_ms = 50,
	};
	int i, fd;

	for (i = 0; i < f->nr_sites; i++)
		if (marked)
			f->sites[i].flags |= RACETRAP_SITE_F_NO_PROBE;
		else
			f->sites[i].flags &= ~RACETRAP_SITE_F_NO_PROBE;
	fd = rt_attach_fx_config(f, &cfg);
	if (fd < 0)
		return -1;
	rt_collect(fd, 2, NULL, NULL, NULL);
	*armed = rt_stat(fd, RACETRAP_STAT_PROBES_ARMED);
	*rot = rt_stat(fd, RACETRAP_STAT_ROTATIONS);
	*samples = rt_stat(fd, RACETRAP_STAT_SAMPLES_SITE);
	rt_dump_stats(fd);
	rt_detach(fd);
	close(fd);
	return 0;
}

int main(void)
{
	uint64_t armed, rot, samples, armed2, rot2, samples2;
	struct fx f;

	if (!rt_start_named(names, NR_TESTS))
		return ktap_finish();
	if (!fx_start(&f, "racy") || run(&f, true, &armed, &rot, &samples) ||
	    run(&f, false, &armed2, &rot2, &samples2))
		return rt_fail_named(names, NR_TESTS);
	fx_stop(&f);

	EXPECT_TRUE(armed == 0 && samples == 0, "noprobe_never_armed",
		    "every site marked: %" PRIu64 " probes armed, %" PRIu64
		    " site samples", armed, samples);
	EXPECT_TRUE(rot >= 2, "noprobe_trigger_ran",
		    "%" PRIu64 " rotations in 2 s", rot);
	EXPECT_TRUE(armed2 > 0 && samples2 > 0, "unmarked_sampled",
		    "unmarked: %" PRIu64 " probes armed, %" PRIu64
		    " site samples", armed2, samples2);
	return ktap_finish();
}
