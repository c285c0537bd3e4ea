// SPDX-License-Identifier: GPL-2.0
/* statusfile: one file per attached target for `racetrap status`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "statusfile.h"

const char *rt_status_dir(void)
{
	const char *d = getenv("RACETRAP_STATUS_DIR");

	return d && *d ? d : RT_STATUS_DIR;
}

int rt_status_write(pid_t target, const char *text)
{
	char path[4096], tmp[4200];
	size_t len = strlen(text);
	int fd, e = 0;

	if (mkdir(rt_status_dir(), 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/%d.status", rt_status_dir(), (int)target);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* Written whole then renamed, so a reader never sees half a file. */
	if (write(fd, text, len) != (ssize_t)len)
		e = errno ? errno : EIO;
	if (close(fd) < 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) < 0)
		e = errno;
	if (e)
		unlink(tmp);
	return -e;
}

void rt_status_remove(pid_t target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%d.status", rt_status_dir(), (int)target);
	unlink(path);
}
