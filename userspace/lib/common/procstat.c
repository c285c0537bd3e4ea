// SPDX-License-Identifier: GPL-2.0
/* procstat: numeric fields of /proc/PID/stat. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procstat.h"

bool rt_proc_stat_fields(pid_t pid, unsigned int first, unsigned int n,
			 unsigned long long *out)
{
	char path[64], buf[1024], *p, *end;
	unsigned int field;
	ssize_t len;
	int fd;

	if (first < 3)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	/* comm may hold spaces and parentheses: fields follow the last ')'. */
	p = strrchr(buf, ')');
	/* After ')': state is field 3. */
	for (field = 2; field < first && p; field++)
		p = strchr(p + 1, ' ');
	for (unsigned int i = 0; i < n; i++) {
		if (!p)
			return false;
		out[i] = strtoull(p + 1, &end, 10);
		if (end == p + 1)
			return false;
		p = strchr(end, ' ');
	}
	return true;
}
