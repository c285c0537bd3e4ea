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

#endif /* RT_ELFREAD_H */
