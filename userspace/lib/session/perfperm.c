// SPDX-License-Identifier: GPL-2.0
/* perfperm: the clock trigger's proof of perf's permission. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "perfperm.h"

int rt_perf_proof_open(pid_t pid)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

/* CAP_PERFMON or CAP_SYS_ADMIN in effect: the kernel's perfmon_capable(). */
static bool perfmon_capable(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d))
		return false;
	return (d[CAP_TO_INDEX(CAP_PERFMON)].effective & CAP_TO_MASK(CAP_PERFMON)) ||
	       (d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN));
}

/*
 * The module takes a perfmon_capable() caller without a proof, so such a
 * caller is allowed even where perf refuses it the event: Debian's
 * perf_event_paranoid 3 wants CAP_SYS_ADMIN for any perf_event_open(),
 * and racetrapd.service keeps CAP_PERFMON only.
 */
int rt_perf_allowed(pid_t pid)
{
	int fd = rt_perf_proof_open(pid);

	if (fd < 0)
		return perfmon_capable();
	close(fd);
	return 1;
}

void rt_perf_refusal(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	int level;

	if (f && fscanf(f, "%d", &level) == 1)
		snprintf(buf, len,
			 "perf does not let this user sample the process (kernel.perf_event_paranoid is %d; it needs CAP_PERFMON, or 2 or less)",
			 level);
	else
		snprintf(buf, len,
			 "perf does not let this user sample the process (it needs CAP_PERFMON, or kernel.perf_event_paranoid 2 or less)");
	if (f)
		fclose(f);
}
