/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RACETRAP_IOC_ATTACH for the selftests: the proof of permission is an open
 * descriptor of the target's /proc/PID/mem, and for the clock trigger a
 * perf event on it, as uapi/linux/racetrap.h says.
 */
#ifndef RACETRAP_ATTACH_H
#define RACETRAP_ATTACH_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>

/* ATTACH exactly as given (any values, for the bad-input tests). */
static inline int rt_attach_raw(int fd, pid_t pid, int mem_fd, __u32 flags,
				int perf_fd)
{
	struct racetrap_attach a = {
		.size = sizeof(a), .flags = flags, .pid = pid,
		.mem_fd = mem_fd, .perf_fd = perf_fd,
	};

	return ioctl(fd, RACETRAP_IOC_ATTACH, &a);
}

/* A disabled user-mode cpu-clock event on @pid, as racetrap opens one. */
static inline int rt_perf_open(pid_t pid)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK, .disabled = 1,
		.exclude_kernel = 1, .exclude_hv = 1,
	};

	return (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

/*
 * ATTACH with @mem_fd as given and, as racetrap does, a perf event on
 * @pid as the clock trigger's proof when perf lets this caller open one.
 */
static inline int rt_attach_mem(int fd, pid_t pid, int mem_fd)
{
	int perf = rt_perf_open(pid), ret, e;

	if (perf < 0)
		return rt_attach_raw(fd, pid, mem_fd, 0, 0);
	ret = rt_attach_raw(fd, pid, mem_fd, RACETRAP_ATTACH_F_PERF_FD, perf);
	e = errno;
	close(perf);
	errno = e;
	return ret;
}

/*
 * A descriptor number that is not open, and stays so while the test opens
 * others: they take the lowest free numbers, this one is far above them.
 */
static inline int rt_closed_fd(void)
{
	int fd = fcntl(0, F_DUPFD_CLOEXEC, 512);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* open("/proc/@pid/mem"): -1 with errno set by the kernel's ptrace check. */
static inline int rt_open_mem(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * ATTACH as racetrap does: open the target's mem file, pass it, close it.
 * -1 with errno from the open (EACCES, EPERM: ptrace denies it) or from
 * the ioctl.
 */
static inline int rt_attach(int fd, pid_t pid)
{
	int mem = rt_open_mem(pid), ret, e;

	if (mem < 0)
		return -1;
	ret = rt_attach_mem(fd, pid, mem);
	e = errno;
	close(mem);
	errno = e;
	return ret;
}

#endif /* RACETRAP_ATTACH_H */
