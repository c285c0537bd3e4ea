// SPDX-License-Identifier: GPL-2.0
/*
 * How the ELF files of sampled programs are read: mapped only when no
 * user but root can truncate them under racetrapd (a SIGBUS would end
 * it), read otherwise; and a path that names a FIFO is refused at once,
 * not waited on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfread.h"
#include "testlib.h"

int main(void)
{
	char path[] = "/tmp/racetrap-elfread-XXXXXX";
	int fd = mkstemp(path), sys;

	ktap_start(5);
	/* Root's test run: make the file another user's, as a target's is. */
	if (fd >= 0 && getuid() == 0 && fchown(fd, 65534, 65534))
		ktap_diag("cannot give %s away", path);
	ktap_result(fd >= 0 && rt_elf_read_cmd(fd) == ELF_C_READ,
		    "user_file_read_not_mapped");
	sys = open("/bin/sh", O_RDONLY | O_CLOEXEC);
	ktap_result(sys >= 0 && rt_elf_read_cmd(sys) == ELF_C_READ_MMAP,
		    "system_file_mapped");
	if (fd >= 0 && getuid() == 0 && fchown(fd, 0, 0) == 0 &&
	    fchmod(fd, 0666) == 0)
		ktap_result(rt_elf_read_cmd(fd) == ELF_C_READ,
			    "world_writable_root_file_read_not_mapped");
	else
		ktap_skip("world_writable_root_file_read_not_mapped",
			  "not root");
	if (sys >= 0)
		close(sys);
	if (fd >= 0) {
		int reg = rt_open_regular(path);

		ktap_result(reg >= 0, "open_regular_opens_a_file");
		if (reg >= 0)
			close(reg);
		close(fd);
		unlink(path);
	} else {
		ktap_skip("open_regular_opens_a_file", "no temp file");
	}
	/* Where a plain open() would wait for a writer for ever. */
	if (mkfifo(path, 0600) == 0) {
		errno = 0;
		ktap_result(rt_open_regular(path) == -1 && errno == EINVAL,
			    "open_regular_refuses_fifo");
		unlink(path);
	} else {
		ktap_skip("open_regular_refuses_fifo", "mkfifo failed");
	}
	return ktap_finish();
}
