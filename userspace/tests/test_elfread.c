// SPDX-License-Identifier: GPL-2.0
/*
 * How the ELF files of sampled programs are read: mapped only when no
 * user but root can truncate them under racetrapd (a SIGBUS would end
 * it), read otherwise.
 */
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

	ktap_start(3);
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
		close(fd);
		unlink(path);
	}
	return ktap_finish();
}
