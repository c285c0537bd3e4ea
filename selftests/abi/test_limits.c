// SPDX-License-Identifier: GPL-2.0
/*
 * The caps on attachments and site-table memory (module/limits.c): their
 * defaults; a user over the per-user attachment cap is refused (ENOSPC)
 * and gets the slot back when a file closes; root, with CAP_SYS_RESOURCE,
 * may exceed the per-user caps but not the global ones; site tables over
 * the per-user and global memory caps are refused, a replaced table counts
 * once, and a smaller one gives memory back.  Every parameter is put back
 * as it was.
 *
 * Targets are sleepers (forks of this program, paused): they map libc
 * executable, whose first bytes serve as site tables of 1-byte
 * instructions, and never run, so nothing is sampled.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "attach.h"
#include "ktap.h"
#include "users.h"

#define PLAN		11
#define PARAMS		"/sys/module/racetrap/parameters/"
/* A site's cost in module/limits.c: its entry and 10 bytes of live state. */
#define SITES_PER_MIB	((1 << 20) / (sizeof(struct racetrap_site) + 10))

static const char *const params[] = {
	"max_attachments", "max_attachments_per_user", "max_sites_mib",
	"max_sites_mib_per_user",
};
#define NR_PARAMS (sizeof(params) / sizeof(params[0]))

static int param_get(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	return rt_sysctl_get(path);
}

static bool param_set(const char *name, int v)
{
	char path[128];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	return rt_sysctl_set(path, v);
}

struct targets {
	pid_t a, b;
	char libc[256];
};

/* A file attached to @pid with the site trigger alone; -1 if it failed. */
static int attach_site(pid_t pid, int *err)
{
	struct racetrap_config c = {
		.size = sizeof(c), .flags = RACETRAP_CONFIG_F_SET,
		.triggers = RACETRAP_TRIGGER_SITE,
		.site_rotate_ms = 60000,
	};
	int dev = open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);

	*err = 0;
	if (dev < 0 || ioctl(dev, RACETRAP_IOC_CONFIG, &c) ||
	    rt_attach(dev, pid)) {
		*err = errno;
		if (dev >= 0)
			close(dev);
		return -1;
	}
	return dev;
}

/* ADD_SITES of @n 1-byte sites at the start of @path; 0 or the errno. */
static int add_sites(int dev, const char *path, uint32_t n)
{
	struct racetrap_site *s = calloc(n, sizeof(*s));
	struct racetrap_sites t = {
		.size = sizeof(t), .site_size = sizeof(*s), .nr_sites = n,
		.sites = (uintptr_t)s,
	};
	int ret;
	uint32_t i;

	t.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!s || t.fd < 0) {
		free(s);
		return ENOMEM;
	}
	for (i = 0; i < n; i++) {
		s[i].offset = i;
		s[i].len = 1;
		s[i].base = RACETRAP_REG_RAX;
		s[i].size = 8;
		s[i].access = RACETRAP_ACCESS_READ;
	}
	ret = ioctl(dev, RACETRAP_IOC_ADD_SITES, &t) ? errno : 0;
	close(t.fd);
	free(s);
	return ret;
}

static void as_user_attachments(void *arg)
{
	const struct targets *t = arg;
	int a, b, err;

	a = attach_site(t->a, &err);
	ktap_expect_errno(0, err, "user_first_attach_ok");
	b = attach_site(t->b, &err);
	ktap_expect_errno(ENOSPC, err, "user_over_per_user_cap_enospc");
	if (b >= 0)
		close(b);
	close(a);
	b = attach_site(t->b, &err);
	ktap_expect_errno(0, err, "user_slot_back_after_close");
	if (b >= 0)
		close(b);
}

static void as_user_sites(void *arg)
{
	const struct targets *t = arg;
	uint32_t cap = SITES_PER_MIB;
	int dev, err;

	dev = attach_site(t->a, &err);
	ktap_expect_errno(ENOSPC, add_sites(dev, t->libc, cap + 1), "user_sites_over_cap_enospc");
	ktap_expect_errno(0, add_sites(dev, t->libc, cap - 1000), "user_sites_under_cap_ok");
	/* The replaced table is given back: only the difference counts. */
	ktap_expect_errno(0, add_sites(dev, t->libc, cap), "user_sites_replacement_counts_once");
	ktap_expect_errno(0, add_sites(dev, t->libc, 1000), "user_sites_smaller_ok");
	close(dev);
}

static bool libc_of(pid_t pid, char *path, size_t len)
{
	char maps[64], line[512];
	bool found = false;
	FILE *f;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	f = fopen(maps, "re");
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (strstr(line, " r-xp ") && p && strstr(p, "/libc.so")) {
			p[strcspn(p, "\n")] = 0;
			snprintf(path, len, "%s", p);
			found = true;
		}
	}
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	static const int defaults[NR_PARAMS] = { 128, 32, 512, 128 };
	int old[NR_PARAMS], a, b, err;
	struct targets t;
	struct stat st;
	bool dflt = true;
	size_t i;

	ktap_start(PLAN);
	for (i = 0; i < NR_PARAMS; i++) {
		old[i] = param_get(params[i]);
		if (old[i] != defaults[i]) {
			ktap_diag("%s is %d, default %d", params[i], old[i],
				  defaults[i]);
			dflt = false;
		}
	}
	ktap_result(dflt, "limits_defaults");
	if (stat(RACETRAP_DEVICE, &st) || chmod(RACETRAP_DEVICE, 0666)) {
		ktap_skip_rest("cannot open the device to everyone");
		return ktap_finish();
	}
	t.a = rt_sleeper(RT_UID_USER, 1);
	t.b = rt_sleeper(RT_UID_USER, 1);
	if (!libc_of(t.a, t.libc, sizeof(t.libc)))
		ktap_diag("no libc mapped in %d", (int)t.a);

	param_set("max_attachments_per_user", 1);
	rt_as_user(RT_UID_USER, as_user_attachments, &t, "user_attachments");
	a = attach_site(t.a, &err);
	b = attach_site(t.b, &err);
	ktap_expect_errno(0, err, "root_exceeds_per_user_cap");
	if (b >= 0)
		close(b);
	param_set("max_attachments", 1);
	b = attach_site(t.b, &err);
	ktap_expect_errno(ENOSPC, err, "root_over_global_cap_enospc");
	if (b >= 0)
		close(b);
	if (a >= 0)
		close(a);
	param_set("max_attachments", old[0]);
	param_set("max_attachments_per_user", old[1]);

	param_set("max_sites_mib_per_user", 1);
	rt_as_user(RT_UID_USER, as_user_sites, &t, "user_sites");
	param_set("max_sites_mib_per_user", old[3]);
	param_set("max_sites_mib", 1);
	a = attach_site(t.a, &err);
	ktap_expect_errno(ENOSPC, add_sites(a, t.libc, SITES_PER_MIB + 1),
			  "root_sites_over_global_cap_enospc");
	close(a);

	for (i = 0; i < NR_PARAMS; i++)
		param_set(params[i], old[i]);
	chmod(RACETRAP_DEVICE, st.st_mode & 07777);
	rt_reap(t.a);
	rt_reap(t.b);
	return ktap_finish();
}
