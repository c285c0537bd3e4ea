// SPDX-License-Identifier: GPL-2.0
/* maps: executable file mappings of a process and opening them safely. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elfread.h"
#include "maps.h"

int rt_maps_parse_line(const char *line, struct rt_mapping *m)
{
	unsigned long long start, end, offset, ino;
	unsigned int major, minor;
	char perms[8];
	int pos = 0;
	const char *path;
	size_t len;

	if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end,
		   perms, &offset, &major, &minor, &ino, &pos) < 7 || !pos)
		return -EINVAL;
	if (end <= start || strlen(perms) != 4)
		return -EINVAL;
	path = line + pos;
	/* Anonymous, [vdso], [heap]...: no file to decode. */
	if (perms[2] != 'x' || path[0] != '/' || ino == 0)
		return 0;
	len = strcspn(path, "\n");
	if (len >= sizeof(m->path))
		return 0;
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->end = end;
	m->offset = offset;
	m->dev = makedev(major, minor);
	m->ino = ino;
	memcpy(m->path, path, len);
	m->path[len] = '\0';
	return 1;
}

char *rt_maps_snapshot(pid_t pid, size_t *len)
{
	char path[64], *buf = NULL;
	FILE *in, *out;
	int c;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	in = fopen(path, "re");
	if (!in)
		return NULL;
	out = open_memstream(&buf, len);
	if (!out) {
		fclose(in);
		errno = ENOMEM;
		return NULL;
	}
	while ((c = getc(in)) != EOF)
		putc(c, out);
	fclose(in);
	fclose(out);
	if (buf && !*len) {
		free(buf);
		buf = NULL;
	}
	if (!buf)
		errno = ESRCH;
	return buf;
}

int rt_maps_read(pid_t pid, struct rt_mapping **out, size_t *nr)
{
	struct rt_mapping *maps = NULL, *grown, m;
	size_t n = 0, cap = 0, len = 0;
	char *text = rt_maps_snapshot(pid, &len), *line, *next;

	/* A process whose mm is gone reads as empty: treat it as exited. */
	if (!text)
		return -errno;
	for (line = text; line < text + len; line = next) {
		next = memchr(line, '\n', (size_t)(text + len - line));
		next = next ? next + 1 : text + len;
		if (rt_maps_parse_line(line, &m) <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(maps, cap * sizeof(*maps));
			if (!grown) {
				free(maps);
				free(text);
				return -ENOMEM;
			}
			maps = grown;
		}
		maps[n++] = m;
	}
	free(text);
	if (n == 0) {
		free(maps);
		return -ESRCH;
	}
	*out = maps;
	*nr = n;
	return 0;
}

int rt_maps_open(pid_t pid, const struct rt_mapping *m)
{
	char name[96];
	struct stat st;
	int fd;

	snprintf(name, sizeof(name), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 (int)pid, m->start, m->end);
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* map_files needs CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN): else the
	 * path, verified. */
	fd = rt_open_regular(m->path);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (st.st_dev != (dev_t)m->dev || st.st_ino != (ino_t)m->ino ||
	    !S_ISREG(st.st_mode)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

int rt_maps_exe_id(pid_t pid, dev_t *dev, ino_t *ino)
{
	char name[64];
	struct stat st;

	snprintf(name, sizeof(name), "/proc/%d/exe", (int)pid);
	if (stat(name, &st) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}
