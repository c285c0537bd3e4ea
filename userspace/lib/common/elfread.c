// SPDX-License-Identifier: GPL-2.0
/* elfread: how to read the ELF files of sampled programs safely. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfread.h"

/* Only root can change the regular file @st: it may be mapped. */
static bool mappable(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_uid == 0 &&
	       !(st->st_mode & (S_IWGRP | S_IWOTH));
}

Elf_Cmd rt_elf_read_cmd(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && mappable(&st) ? ELF_C_READ_MMAP : ELF_C_READ;
}

/* Copy @in (at most @size bytes, from its start) to the new file @out. */
static int copy_all(int in, int out, off_t size)
{
	char buf[65536];
	off_t done = 0;
	ssize_t n = 0;

	while (done < size) {
		n = pread(in, buf, sizeof(buf), done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* shrunk meanwhile: libelf finds it short */
		for (ssize_t w = 0, k; w < n; w += k) {
			k = write(out, buf + w, (size_t)(n - w));
			if (k < 0 && errno == EINTR)
				k = 0;
			else if (k < 0)
				return -1;
		}
		done += n;
	}
	return n < 0 ? -1 : 0;
}

int rt_elf_safe_fd(int fd)
{
	struct stat st;
	int copy, err;

	if (fstat(fd, &st)) {
		err = errno;
		goto fail;
	}
	if (mappable(&st))
		return fd;
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size >
				    RT_ELF_COPY_MAX) {
		err = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		goto fail;
	}
	copy = memfd_create("racetrap-elf", MFD_CLOEXEC);
	if (copy < 0) {
		err = errno;
		goto fail;
	}
	if (copy_all(fd, copy, st.st_size)) {
		err = errno;
		close(copy);
		goto fail;
	}
	close(fd);
	return copy;
fail:
	close(fd);
	errno = err;
	return -1;
}

int rt_open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}
