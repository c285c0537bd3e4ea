// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to the engine's ioctls and read(): the generic size, flag,
 * reserved and pointer rules of uapi/linux/racetrap.h for every engine
 * struct, every site-table rule one at a time, and every config bound,
 * with "a failed ioctl changes nothing" checked for CONFIG.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/mman.h>
#include "engine.h"

struct big_attach {
	struct racetrap_attach a;
	uint64_t tail;
};

static void generic(int fd, pid_t pid)
{
	int mem = rt_open_mem(pid);
	struct big_attach ba = {
		.a = { .size = sizeof(ba), .pid = pid, .mem_fd = mem },
	};
	struct racetrap_attach a = { .size = sizeof(a), .pid = pid, .mem_fd = mem };
	struct racetrap_detach d = { sizeof(d), 0 };
	struct racetrap_stats s = { .size = sizeof(s) };
	struct racetrap_config c = { .size = sizeof(c) };
	void *unmapped = mmap(NULL, 4096, PROT_NONE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	a.size = RACETRAP_ATTACH_SIZE_VER1 - 4;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ATTACH, &a), "attach_short");
	/* ABI version 1's struct, without mem_fd. */
	a.size = RACETRAP_ATTACH_SIZE_VER0;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ATTACH, &a), "attach_ver0");
	a.size = sizeof(a);
	a.flags = __RACETRAP_ATTACH_F_ALL + 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, RACETRAP_IOC_ATTACH, &a),
		     "attach_unknown_flag");
	a.flags = 0;
	a.__reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ATTACH, &a),
		     "attach_reserved");
	a.__reserved = 0;
	a.perf_fd = 1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ATTACH, &a),
		     "attach_perf_fd_without_flag");
	a.perf_fd = 0;
	EXPECT_ERRNO(EFAULT, ioctl(fd, RACETRAP_IOC_ATTACH, NULL), "attach_null");
	EXPECT_ERRNO(EFAULT, ioctl(fd, RACETRAP_IOC_ATTACH, unmapped),
		     "attach_unmapped");
	ba.tail = 1;
	EXPECT_ERRNO(E2BIG, ioctl(fd, RACETRAP_IOC_ATTACH, &ba),
		     "attach_nonzero_tail");
	ba.tail = 0;
	EXPECT_OK(ioctl(fd, RACETRAP_IOC_ATTACH, &ba), "attach_zero_tail");
	close(mem);

	d.size = 4;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_DETACH, &d), "detach_short");
	d.size = sizeof(d);
	d.flags = 2;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, RACETRAP_IOC_DETACH, &d),
		     "detach_unknown_flag");
	EXPECT_ERRNO(EFAULT, ioctl(fd, RACETRAP_IOC_DETACH, NULL), "detach_null");

	s.size = RACETRAP_STATS_SIZE_VER0 - 8;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_STATS, &s), "stats_short");
	s.size = sizeof(s);
	s.flags = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, RACETRAP_IOC_STATS, &s),
		     "stats_unknown_flag");
	s.flags = 0;
	s.__reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_STATS, &s),
		     "stats_reserved");
	s.__reserved = 0;
	EXPECT_TRUE(ioctl(fd, RACETRAP_IOC_STATS, &s) == 0 &&
		    s.nr_counters == __RACETRAP_STAT_LAST, "stats_counters",
		    "nr_counters %u", s.nr_counters);

	c.size = RACETRAP_CONFIG_SIZE_VER0 - 4;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_CONFIG, &c), "config_short");
	c.size = sizeof(c);
	c.flags = 1U << 7;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, RACETRAP_IOC_CONFIG, &c),
		     "config_unknown_flag");
	c.flags = 0;
	c.__pad[0] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_CONFIG, &c),
		     "config_reserved");
	c.__pad[0] = 0;
	EXPECT_ERRNO(EFAULT, ioctl(fd, RACETRAP_IOC_CONFIG, NULL), "config_null");
	munmap(unmapped, 4096);
}

/* Each rule of struct racetrap_site broken alone rejects the table. */
static void site_rules(int fd, const struct fx *f)
{
	struct racetrap_site good[FX_MAX], t[FX_MAX];
	int n = fx_table(f, good), i;
	struct {
		const char *name;
		int field;
	} const rules[] = {
		{ "sites_unsorted", 0 }, { "sites_overlap", 1 },
		{ "sites_past_eof", 2 }, { "sites_len_0", 3 },
		{ "sites_len_16", 4 }, { "sites_base_range", 5 },
		{ "sites_index_rsp", 6 }, { "sites_index_rip", 7 },
		{ "sites_scale_no_index", 8 }, { "sites_scale_3", 9 },
		{ "sites_size_3", 10 }, { "sites_size_128", 11 },
		{ "sites_access_0", 12 }, { "sites_access_4", 13 },
		{ "sites_flags", 14 }, { "sites_reserved", 15 },
		{ "sites_rip_with_index", 16 },
		{ "sites_func_tail_short", 17 },
		{ "sites_func_tail_past_eof", 18 },
	};

	for (i = 0; i < (int)(sizeof(rules) / sizeof(rules[0])); i++) {
		memcpy(t, good, sizeof(good));
		switch (rules[i].field) {
		case 0: { struct racetrap_site x = t[0]; t[0] = t[1]; t[1] = x; break; }
		case 1: t[1].offset = t[0].offset + 1; break;
		case 2: t[1].offset = 1ULL << 40; break;
		case 3: t[0].len = 0; break;
		case 4: t[0].len = 16; break;
		case 5: t[0].base = __RACETRAP_REG_LAST; break;
		case 6: t[0].base = RACETRAP_REG_RAX; t[0].index = RACETRAP_REG_RSP;
			t[0].scale = 1; break;
		case 7: t[0].base = RACETRAP_REG_RAX; t[0].index = RACETRAP_REG_RIP;
			t[0].scale = 1; break;
		case 8: t[0].scale = 2; break;
		case 9: t[0].base = RACETRAP_REG_RAX; t[0].index = RACETRAP_REG_RCX;
			t[0].scale = 3; break;
		case 10: t[0].size = 3; break;
		case 11: t[0].size = 128; break;
		case 12: t[0].access = 0; break;
		case 13: t[0].access = 4; break;
		case 14: t[0].flags = __RACETRAP_SITE_F_ALL + 1; break;
		case 15: t[0].__reserved = 1; break;
		case 16: t[0].index = RACETRAP_REG_RCX; t[0].scale = 1; break;
		case 17: t[0].func_tail = t[0].len - 1; break;
		case 18: t[0].func_tail = 1U << 31; break;
		}
		EXPECT_ERRNO(EINVAL, rt_add_table(fd, f->pid, t, n), rules[i].name);
	}
	EXPECT_TRUE(rt_add_table(fd, f->pid, good, n) >= 1, "sites_valid",
		    "%s", strerror(errno));
	/* Each instruction its own function, ending with it. */
	for (i = 0; i < n; i++)
		good[i].func_tail = good[i].len;
	EXPECT_TRUE(rt_add_table(fd, f->pid, good, n) >= 1,
		    "sites_func_tail_valid", "%s", strerror(errno));
}

static void sites_struct(int fd, const struct fx *f)
{
	struct racetrap_site t[FX_MAX];
	struct racetrap_sites s = {
		.size = sizeof(s), .site_size = sizeof(t[0]),
		.sites = (uintptr_t)t, .nr_sites = fx_table(f, t),
	};
	char exe[64];
	int id1, id2;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)f->pid);
	s.fd = open(exe, O_RDONLY);
	s.flags = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s),
		     "sites_unknown_flag");
	s.flags = 0;
	s.site_size = sizeof(t[0]) + 8;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s),
		     "sites_site_size");
	s.site_size = sizeof(t[0]);
	s.nr_sites = 0;
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s), "sites_none");
	s.nr_sites = RACETRAP_MAX_SITES + 1;
	EXPECT_ERRNO(E2BIG, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s), "sites_too_many");
	s.nr_sites = f->nr_sites;
	s.sites = 0;
	EXPECT_ERRNO(EFAULT, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s), "sites_null");
	s.sites = (uintptr_t)t;
	close(s.fd);
	s.fd = 999;
	EXPECT_ERRNO(EBADF, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s), "sites_bad_fd");
	s.fd = open("/proc/self/exe", O_RDONLY);
	EXPECT_ERRNO(EINVAL, ioctl(fd, RACETRAP_IOC_ADD_SITES, &s),
		     "sites_file_not_mapped");
	close(s.fd);
	id1 = rt_add_sites(fd, f);
	id2 = rt_add_sites(fd, f);
	EXPECT_TRUE(id1 >= 1 && id2 > id1, "sites_replace", "ids %d %d", id1, id2);
}

#define FIELD(f) offsetof(struct racetrap_config, f)

/* The stack-bounds register: which registers, offsets and padding pass. */
static void stack_bounds(int fd, const struct racetrap_config *before)
{
	static const struct {
		const char *name;
		uint8_t reg, pad;
		uint32_t off;
	} bad[] = {
		{ "config_stack_reg_rsp", RACETRAP_REG_RSP, 0, 0 },
		{ "config_stack_reg_rip", RACETRAP_REG_RIP, 0, 0 },
		{ "config_stack_reg_range", __RACETRAP_REG_LAST, 0, 0 },
		{ "config_stack_off_high", RACETRAP_REG_R14, 0,
		  RACETRAP_MAX_STACK_OFF + 1 },
		{ "config_pad", RACETRAP_REG_R14, 1, 0 },
	};
	struct racetrap_config c = *before, after;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = *before;
		c.stack_reg = bad[i].reg;
		c.stack_off = bad[i].off;
		c.__pad[2] = bad[i].pad;
		EXPECT_ERRNO(EINVAL, rt_config_set(fd, &c), bad[i].name);
	}
	rt_config_get(fd, &after);
	EXPECT_TRUE(!memcmp(before, &after, sizeof(after)),
		    "config_stack_bad_unchanged", "a failed CONFIG changed it");
	c = *before;
	c.stack_reg = RACETRAP_REG_R14;
	c.stack_off = RACETRAP_MAX_STACK_OFF;
	EXPECT_OK(rt_config_set(fd, &c), "config_stack_set");
	rt_config_get(fd, &after);
	EXPECT_TRUE(after.stack_reg == RACETRAP_REG_R14 &&
		    after.stack_off == RACETRAP_MAX_STACK_OFF,
		    "config_stack_get", "reg %u off %u", after.stack_reg,
		    after.stack_off);
}

/* Context words: how many, which offsets, and that they need stack_reg. */
static void ctx_words(int fd, const struct racetrap_config *before)
{
	static const struct {
		const char *name;
		uint8_t reg;
		uint32_t nr, off0, off1;
		uint16_t preempt, guard;
	} bad[] = {
		{ "config_ctx_too_many", RACETRAP_REG_R14,
		  RACETRAP_MAX_CTX_WORDS + 1, 8, 16, 0, 0 },
		{ "config_ctx_no_stack_reg", RACETRAP_REG_NONE, 1, 8, 0, 0, 0 },
		{ "config_ctx_off_unaligned", RACETRAP_REG_R14, 1, 12, 0, 0, 0 },
		{ "config_ctx_off_high", RACETRAP_REG_R14, 1,
		  RACETRAP_MAX_STACK_OFF + 1, 0, 0, 0 },
		{ "config_ctx_unused_off_set", RACETRAP_REG_R14, 1, 8, 16, 0, 0 },
		{ "config_go_preempt_alone", RACETRAP_REG_R14, 1, 8, 0, 160, 0 },
		{ "config_go_guard_alone", RACETRAP_REG_R14, 1, 8, 0, 0, 16 },
		{ "config_go_guard_unaligned", RACETRAP_REG_R14, 1, 8, 0,
		  160, 12 },
		{ "config_go_no_goid", RACETRAP_REG_R14, 0, 0, 0, 160, 16 },
	};
	struct racetrap_config c, after;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = *before;
		c.stack_reg = bad[i].reg;
		c.nr_ctx = bad[i].nr;
		c.ctx_off[0] = bad[i].off0;
		c.ctx_off[1] = bad[i].off1;
		c.go_preempt_off = bad[i].preempt;
		c.go_guard_off = bad[i].guard;
		EXPECT_ERRNO(EINVAL, rt_config_set(fd, &c), bad[i].name);
	}
	rt_config_get(fd, &after);
	EXPECT_TRUE(!memcmp(before, &after, sizeof(after)),
		    "config_ctx_bad_unchanged", "a failed CONFIG changed it");
	c = *before;
	c.stack_reg = RACETRAP_REG_R14;
	c.nr_ctx = 2;
	c.ctx_off[0] = 152;
	c.ctx_off[1] = RACETRAP_MAX_STACK_OFF & ~7U;
	EXPECT_OK(rt_config_set(fd, &c), "config_ctx_set");
	rt_config_get(fd, &after);
	EXPECT_TRUE(after.nr_ctx == 2 && after.ctx_off[0] == 152 &&
		    after.ctx_off[1] == (RACETRAP_MAX_STACK_OFF & ~7U),
		    "config_ctx_get", "nr %u offsets %u %u", after.nr_ctx,
		    after.ctx_off[0], after.ctx_off[1]);
	c.go_preempt_off = 177;
	c.go_guard_off = 16;
	EXPECT_OK(rt_config_set(fd, &c), "config_go_set");
	rt_config_get(fd, &after);
	EXPECT_TRUE(after.go_preempt_off == 177 && after.go_guard_off == 16,
		    "config_go_get", "preempt %u guard %u",
		    after.go_preempt_off, after.go_guard_off);
}

/* watch_threads: its default follows the CPUs, its bound does not. */
static void watch_threads(int fd, const struct racetrap_config *before)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint32_t def = cpus > 4 ? 2 * (uint32_t)cpus : 8;
	struct racetrap_config c = *before, after;

	EXPECT_TRUE(before->watch_threads == def, "config_watch_threads_default",
		    "%u, want %u for %ld CPUs", before->watch_threads, def, cpus);
	c.watch_threads = RACETRAP_MAX_WATCH_THREADS + 1;
	EXPECT_ERRNO(EINVAL, rt_config_set(fd, &c), "config_watch_threads_high");
	rt_config_get(fd, &after);
	EXPECT_TRUE(after.watch_threads == def, "config_watch_threads_high_unchanged",
		    "%u", after.watch_threads);
	c.watch_threads = 3;
	EXPECT_OK(rt_config_set(fd, &c), "config_watch_threads_set");
	rt_config_get(fd, &after);
	EXPECT_TRUE(after.watch_threads == 3, "config_watch_threads_get", "%u",
		    after.watch_threads);
}

static void config_bounds(int fd)
{
	static const struct {
		const char *name;
		size_t off;
		uint32_t def, bad_lo, bad_hi;
	} f[] = {
		{ "window_us", FIELD(window_us), 500, 0, 100001 },
		{ "site_probes", FIELD(site_probes), 16, 0, 1025 },
		{ "site_rotate_ms", FIELD(site_rotate_ms), 100, 49, 60001 },
		{ "clock_period_us", FIELD(clock_period_us), 10000, 999, 10000001 },
		{ "max_watchpoints", FIELD(max_watchpoints), 1, 0,
		  RACETRAP_MAX_WATCHPOINTS + 1 },
		{ "stack_depth", FIELD(stack_depth), 32, 0, RACETRAP_MAX_STACK + 1 },
		{ "budget_ppm", FIELD(budget_ppm), 10000, 0, 1000001 },
		{ "stack_dump", FIELD(stack_dump), 0, 56,
		  RACETRAP_MAX_STACK_DUMP + 8 },
	};
	struct racetrap_config c, before, after;
	bool defaults = true;
	size_t i;
	char name[64];

	rt_config_get(fd, &before);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (*(uint32_t *)((char *)&before + f[i].off) != f[i].def)
			defaults = false;
	EXPECT_TRUE(defaults && before.triggers == __RACETRAP_TRIGGER_ALL,
		    "config_defaults", "not the documented defaults");

	/* A valid change to every field, to see failures change nothing. */
	memset(&c, 0, sizeof(c));
	c.triggers = RACETRAP_TRIGGER_CLOCK;
	c.window_us = 1000;
	c.site_probes = 8;
	c.site_rotate_ms = 200;
	c.clock_period_us = 5000;
	c.max_watchpoints = 2;
	c.stack_depth = 16;
	c.budget_ppm = 20000;
	EXPECT_OK(rt_config_set(fd, &c), "config_set");
	rt_config_get(fd, &before);
	EXPECT_TRUE(before.window_us == 1000 && before.max_watchpoints == 2 &&
		    before.triggers == RACETRAP_TRIGGER_CLOCK, "config_get",
		    "values not kept");

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		int k;

		for (k = 0; k < 2; k++) {
			uint32_t bad = k ? f[i].bad_hi : f[i].bad_lo;

			if (!bad)	/* 0 means the default: not invalid */
				continue;
			c = before;
			c.window_us = 2000;	/* valid: must not stick */
			*(uint32_t *)((char *)&c + f[i].off) = bad;
			snprintf(name, sizeof(name), "config_%s_%s", f[i].name,
				 k ? "high" : "low");
			EXPECT_ERRNO(EINVAL, rt_config_set(fd, &c), name);
			rt_config_get(fd, &after);
			snprintf(name, sizeof(name), "config_%s_%s_unchanged",
				 f[i].name, k ? "high" : "low");
			if (memcmp(&before, &after, sizeof(after)))
				ktap_diag("%s: a failed CONFIG changed it", name);
			ktap_result(!memcmp(&before, &after, sizeof(after)),
				    name);
		}
	}
	c = before;
	c.stack_dump = 4100;	/* not a multiple of 8 */
	EXPECT_ERRNO(EINVAL, rt_config_set(fd, &c), "config_stack_dump_unaligned");
	c = before;
	c.stack_dump = 4096;
	EXPECT_OK(rt_config_set(fd, &c), "config_stack_dump_set");
	rt_config_get(fd, &after);
	EXPECT_TRUE(after.stack_dump == 4096, "config_stack_dump_get",
		    "stack_dump %u", after.stack_dump);
	before = after;
	c = before;
	c.triggers = 1U << 4;
	EXPECT_ERRNO(EOPNOTSUPP, rt_config_set(fd, &c), "config_triggers_unknown");
	stack_bounds(fd, &before);
	rt_config_get(fd, &before);
	ctx_words(fd, &before);
	rt_config_get(fd, &before);
	watch_threads(fd, &before);
	memset(&c, 0, sizeof(c));
	EXPECT_OK(rt_config_set(fd, &c), "config_reset");
	EXPECT_TRUE(c.window_us == 500 && c.budget_ppm == 10000 &&
		    c.triggers == __RACETRAP_TRIGGER_ALL, "config_reset_defaults",
		    "window %u budget %u", c.window_us, c.budget_ppm);
}

static void reads(int fd, const struct fx *f)
{
	struct racetrap_record rec;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int nb;

	EXPECT_ERRNO(EINVAL, read(fd, &rec, sizeof(rec) - 1), "read_short_buffer");
	EXPECT_TRUE(read(fd, &rec, sizeof(rec)) == 0, "read_unattached_eof",
		    "not EOF");
	EXPECT_TRUE(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP),
		    "poll_unattached_hup", "revents %#x", p.revents);
	if (rt_attach(fd, f->pid))
		ktap_diag("attach: %s", strerror(errno));
	nb = open(RACETRAP_DEVICE, O_RDONLY);
	EXPECT_TRUE(nb >= 0, "open_second", "%s", strerror(errno));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	/* Attached, no sites: nothing can be queued. */
	EXPECT_ERRNO(EAGAIN, read(fd, &rec, sizeof(rec)), "read_nonblock_empty");
	fcntl(fd, F_SETFL, 0);
	close(nb);
}

int main(void)
{
	struct fx f;
	int fd;

	ktap_start(112);
	if (!fx_start(&f, "racy"))
		return 1;
	fd = rt_open();
	generic(fd, f.pid);
	site_rules(fd, &f);
	sites_struct(fd, &f);
	config_bounds(fd);
	close(fd);
	fd = rt_open();
	reads(fd, &f);
	close(fd);
	fx_stop(&f);
	return ktap_finish();
}
