// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use the clock trigger: whoever perf lets open a cpu-clock event
 * on the target (uapi/linux/racetrap.h, RACETRAP_IOC_ATTACH).  Checked as
 * an unprivileged user with the device opened to everyone: at
 * perf_event_paranoid 3 (Debian's default) ATTACH with the clock trigger
 * is refused, the site trigger alone is allowed and CONFIG cannot turn the
 * clock on later, and the racetrap CLI says so or falls back to the site
 * trigger; root needs no proof; at 2 a perf event on the target is the
 * proof, and descriptors that are not one on the target are refused.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "attach.h"
#include "ktap.h"
#include "users.h"

#define OUT	"/tmp/test_perm_clock.out"
#define PLAN	14

static const char *racetrap = "racetrap";

static int dev_open(void)
{
	return open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);
}

static int set_triggers(int dev, uint32_t triggers)
{
	struct racetrap_config c = {
		.size = sizeof(c), .flags = RACETRAP_CONFIG_F_SET,
		.triggers = triggers,
	};

	return ioctl(dev, RACETRAP_IOC_CONFIG, &c);
}

static uint32_t get_triggers(int dev)
{
	struct racetrap_config c = { .size = sizeof(c) };

	return ioctl(dev, RACETRAP_IOC_CONFIG, &c) ? 0 : c.triggers;
}

/* ATTACH with the mem file and no perf proof; 0 or the errno. */
static int attach_no_proof(int dev, pid_t pid)
{
	int mem = rt_open_mem(pid), ret;

	ret = rt_attach_raw(dev, pid, mem, 0, 0) ? errno : 0;
	close(mem);
	return ret;
}

/* ATTACH with the mem file and @perf_fd as proof; 0 or the errno. */
static int attach_proof(pid_t pid, int perf_fd)
{
	int dev = dev_open(), mem = rt_open_mem(pid), ret;

	ret = rt_attach_raw(dev, pid, mem, RACETRAP_ATTACH_F_PERF_FD,
			    perf_fd) ? errno : 0;
	close(mem);
	close(dev);
	return ret;
}

static void as_user_paranoid3(void *arg)
{
	pid_t target = *(pid_t *)arg;
	int dev = dev_open(), fd;

	fd = rt_perf_open(target);
	EXPECT_TRUE(fd < 0 && errno == EACCES, "perf_refused_at_paranoid3",
		    "perf_event_open: %d (%s)", fd, strerror(errno));
	if (fd >= 0)
		close(fd);
	ktap_expect_errno(EACCES, attach_no_proof(dev, target), "clock_no_proof_eacces");
	set_triggers(dev, RACETRAP_TRIGGER_SITE);
	ktap_expect_errno(0, attach_no_proof(dev, target), "site_alone_allowed");
	EXPECT_ERRNO(EACCES, set_triggers(dev, __RACETRAP_TRIGGER_ALL),
		     "config_clock_later_eacces");
	EXPECT_TRUE(get_triggers(dev) == RACETRAP_TRIGGER_SITE,
		    "config_unchanged", "triggers %#x", get_triggers(dev));
	close(dev);
}

static void cli_paranoid3(pid_t target)
{
	char pid[16];
	int st;

	snprintf(pid, sizeof(pid), "%d", (int)target);
	st = rt_run_as(RT_UID_USER, (char *const[]){ (char *)racetrap,
		"attach", "--duration", "1", pid, NULL }, OUT);
	EXPECT_TRUE(st == 0 && rt_file_has(OUT, "triggers site (no clock trigger"),
		    "cli_default_site_alone", "exit status %d", st);
	st = rt_run_as(RT_UID_USER, (char *const[]){ (char *)racetrap,
		"attach", "--triggers", "clock", "--duration", "1", pid, NULL },
		OUT);
	EXPECT_TRUE(st == 1 &&
		    rt_file_has(OUT, "the clock trigger is not allowed") &&
		    rt_file_has(OUT, "perf_event_paranoid is 3"),
		    "cli_clock_asked_refused", "exit status %d", st);
}

static void as_user_paranoid2(void *arg)
{
	pid_t target = *(pid_t *)arg;
	int fd;

	fd = rt_perf_open(target);
	EXPECT_TRUE(fd >= 0, "perf_allowed_at_paranoid2", "perf_event_open: %s",
		    strerror(errno));
	ktap_expect_errno(0, attach_proof(target, fd), "clock_proof_allowed");
	close(fd);
	/* An event on this process proves nothing about the target. */
	fd = rt_perf_open(0);
	ktap_expect_errno(EPERM, attach_proof(target, fd), "proof_other_process_eperm");
	close(fd);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ktap_expect_errno(EINVAL, attach_proof(target, fd), "proof_dev_null_einval");
	close(fd);
	/* Another anonymous-inode file is not a perf event either. */
	fd = eventfd(0, EFD_CLOEXEC);
	ktap_expect_errno(EINVAL, attach_proof(target, fd), "proof_eventfd_einval");
	close(fd);
	ktap_expect_errno(EBADF, attach_proof(target, rt_closed_fd()), "proof_closed_ebadf");
}

int main(void)
{
	pid_t user;
	struct stat st;
	int old, dev;

	if (access("/usr/bin/racetrap", X_OK) == 0)
		racetrap = "/usr/bin/racetrap";
	ktap_start(PLAN);
	old = rt_sysctl_get(RT_PERF_PARANOID);
	ktap_diag("perf_event_paranoid: %d", old);
	if (stat(RACETRAP_DEVICE, &st) || chmod(RACETRAP_DEVICE, 0666) ||
	    !rt_sysctl_set(RT_PERF_PARANOID, 3)) {
		ktap_skip_rest("cannot open the device to everyone or set perf_event_paranoid");
		return ktap_finish();
	}
	user = rt_sleeper(RT_UID_USER, 1);

	rt_as_user(RT_UID_USER, as_user_paranoid3, &user, "paranoid3_as_user");
	cli_paranoid3(user);
	dev = dev_open();
	ktap_expect_errno(0, attach_no_proof(dev, user), "root_needs_no_proof");
	close(dev);

	if (!rt_sysctl_set(RT_PERF_PARANOID, 2))
		ktap_diag("cannot set perf_event_paranoid 2");
	rt_as_user(RT_UID_USER, as_user_paranoid2, &user, "paranoid2_as_user");

	rt_sysctl_set(RT_PERF_PARANOID, old);
	chmod(RACETRAP_DEVICE, st.st_mode & 07777);
	rt_reap(user);
	unlink(OUT);
	return ktap_finish();
}
