/* SPDX-License-Identifier: GPL-2.0 */
/* elfread: how to read the ELF files of sampled programs safely. */
#ifndef RT_ELFREAD_H
#define RT_ELFREAD_H

#include <libelf.h>

/*
 * ELF_C_READ_MMAP for a file only root can write, else ELF_C_READ.  A
 * file mapped with mmap that its owner then truncates raises SIGBUS at
 * the next page touched past its new end: a user could end racetrapd,
 * every session with it, by truncating a library their process maps.
 * read() fails cleanly instead (libelf reads what is asked for, when it
 * is asked for); system files keep the page cache's sharing.
 */
Elf_Cmd rt_elf_read_cmd(int fd);

/*
 * For a file libelf will map whatever we ask (libdwfl opens separate
 * debuginfo itself, with mmap): @fd itself when rt_elf_read_cmd() would
 * map it, else a private copy in an anonymous memory file, which the
 * file's owner cannot truncate.  Returns a descriptor the caller owns
 * (@fd is consumed either way), or -1 with errno set; files above
 * RT_ELF_COPY_MAX bytes are not copied (EFBIG).
 */
#define RT_ELF_COPY_MAX (1ULL << 30)
int rt_elf_safe_fd(int fd);

/*
 * open(@path) for reading if it is a regular file, without blocking on
 * the way: a user can put a FIFO where racetrap looks for a program's
 * file or its debuginfo, and a plain open() of it would wait for a
 * writer for ever.  Returns the descriptor, or -1 with errno set (EINVAL
 * for anything not regular).
 */
int rt_open_regular(const char *path);

#endif /* RT_ELFREAD_H */
