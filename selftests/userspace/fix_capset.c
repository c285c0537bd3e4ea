// SPDX-License-Identifier: GPL-2.0
/*
 * fix_capset UNIT COMMAND [ARG...]: run COMMAND (as root) with only the
 * capabilities named by UNIT's CapabilityBoundingSet= lines, and with
 * no_new_privs, as systemd starts a service with that unit's
 * CapabilityBoundingSet= and NoNewPrivileges=yes: a root process's
 * capabilities after exec are its bounding set.  The VM has no systemd;
 * this checks the unit's capability set is enough.  Exits 125 on error.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define C(x) [x] = #x
static const char *const names[] = {
	C(CAP_CHOWN), C(CAP_DAC_OVERRIDE), C(CAP_DAC_READ_SEARCH),
	C(CAP_FOWNER), C(CAP_FSETID), C(CAP_KILL), C(CAP_SETGID),
	C(CAP_SETUID), C(CAP_SETPCAP), C(CAP_LINUX_IMMUTABLE),
	C(CAP_NET_BIND_SERVICE), C(CAP_NET_BROADCAST), C(CAP_NET_ADMIN),
	C(CAP_NET_RAW), C(CAP_IPC_LOCK), C(CAP_IPC_OWNER), C(CAP_SYS_MODULE),
	C(CAP_SYS_RAWIO), C(CAP_SYS_CHROOT), C(CAP_SYS_PTRACE),
	C(CAP_SYS_PACCT), C(CAP_SYS_ADMIN), C(CAP_SYS_BOOT), C(CAP_SYS_NICE),
	C(CAP_SYS_RESOURCE), C(CAP_SYS_TIME), C(CAP_SYS_TTY_CONFIG),
	C(CAP_MKNOD), C(CAP_LEASE), C(CAP_AUDIT_WRITE), C(CAP_AUDIT_CONTROL),
	C(CAP_SETFCAP), C(CAP_MAC_OVERRIDE), C(CAP_MAC_ADMIN), C(CAP_SYSLOG),
	C(CAP_WAKE_ALARM), C(CAP_BLOCK_SUSPEND), C(CAP_AUDIT_READ),
	C(CAP_PERFMON), C(CAP_BPF), C(CAP_CHECKPOINT_RESTORE),
};
#define NR_NAMES (sizeof(names) / sizeof(names[0]))

/* Mark in @keep each capability the unit's CapabilityBoundingSet= names. */
static bool read_unit(const char *path, bool keep[NR_NAMES])
{
	char line[1024], *tok;
	bool found = false;
	FILE *f = fopen(path, "re");
	size_t i;

	if (!f) {
		fprintf(stderr, "fix_capset: %s: %s\n", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "CapabilityBoundingSet=", 22))
			continue;
		found = true;
		if (line[22] == '~') {
			fprintf(stderr, "fix_capset: a deny list is not supported\n");
			fclose(f);
			return false;
		}
		for (tok = strtok(line + 22, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
			for (i = 0; i < NR_NAMES && strcmp(names[i], tok); i++)
				;
			if (i == NR_NAMES) {
				fprintf(stderr, "fix_capset: unknown capability %s\n", tok);
				fclose(f);
				return false;
			}
			keep[i] = true;
		}
	}
	fclose(f);
	if (!found)
		fprintf(stderr, "fix_capset: %s has no CapabilityBoundingSet=\n", path);
	return found;
}

int main(int argc, char **argv)
{
	bool keep[NR_NAMES] = { false };
	int cap;

	if (argc < 3) {
		fprintf(stderr, "usage: fix_capset UNIT COMMAND [ARG...]\n");
		return 125;
	}
	if (!read_unit(argv[1], keep))
		return 125;
	/* Up to the kernel's last capability: PR_CAPBSET_READ fails beyond. */
	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if ((size_t)cap < NR_NAMES && keep[cap])
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)) {
			perror("fix_capset: PR_CAPBSET_DROP");
			return 125;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		perror("fix_capset: PR_SET_NO_NEW_PRIVS");
		return 125;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "fix_capset: %s: %s\n", argv[2], strerror(errno));
	return 125;
}
