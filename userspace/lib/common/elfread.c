// SPDX-License-Identifier: GPL-2.0
/* elfread: how to read the ELF files of sampled programs safely. */
#include <sys/stat.h>

#include "elfread.h"

Elf_Cmd rt_elf_read_cmd(int fd)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		return ELF_C_READ;
	return ELF_C_READ_MMAP;
}
