/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RACETRAP_IOC_ATTACH for the selftests: the proof of permission is an open
 * descriptor of the target's /proc/PID/mem, as uapi/linux/racetrap.h says.
 */
#ifndef RACETRAP_ATTACH_H
#define RACETRAP_ATTACH_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>

/* ATTACH with @mem_fd as given (any value, for the bad-input tests). */
static inline int rt_attach_mem(int fd, pid_t pid, int mem_fd)
{
	struct racetrap_attach a = {
		.size = sizeof(a), .pid = pid, .mem_fd = mem_fd,
	};

	return ioctl(fd, RACETRAP_IOC_ATTACH, &a);
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
