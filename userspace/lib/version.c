// SPDX-License-Identifier: GPL-2.0
/* version: the tools' release and the loaded module's. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "version.h"

/* Set by the Makefile from tools/version.sh. */
const char rt_version[] = RACETRAP_VERSION;

const char *rt_module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/racetrap/version", "re");

	if (!f || !fgets(buf, (int)len, f) || !*buf)
		snprintf(buf, len, "%s", access("/sys/module/racetrap", F_OK) ?
			 "not loaded" : "unknown");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}
