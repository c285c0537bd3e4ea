// SPDX-License-Identifier: GPL-2.0
/* buildid: GNU build-id (libdw), or a code hash when a file has none. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <elfutils/libdwelf.h>

#include "buildid.h"
#include "fnv.h"

static void hexify(const uint8_t *p, size_t n, char out[RT_BUILD_ID_MAX])
{
	if (n > (RT_BUILD_ID_MAX - 1) / 2)
		n = (RT_BUILD_ID_MAX - 1) / 2;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* The NT_GNU_BUILD_ID note, as libdw finds it (sections or segments). */
static int gnu_build_id(Elf *elf, char out[RT_BUILD_ID_MAX])
{
	const void *id;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &id);

	if (n <= 0)
		return -1;
	hexify(id, (size_t)n, out);
	return 0;
}

static int code_hash(Elf *elf, char out[RT_BUILD_ID_MAX])
{
	uint64_t h = RT_FNV_OFFSET;
	Elf_Scn *scn = NULL;
	bool any = false;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		data = elf_rawdata(scn, NULL);
		if (!data || !data->d_buf)
			continue;
		h = rt_fnv1a(h, data->d_buf, data->d_size);
		any = true;
	}
	if (!any) {
		out[0] = '\0';
		return -1;
	}
	snprintf(out, RT_BUILD_ID_MAX, "%016llx", (unsigned long long)h);
	return 0;
}

int rt_build_id(Elf *elf, char out[RT_BUILD_ID_MAX])
{
	if (gnu_build_id(elf, out) == 0)
		return 0;
	return code_hash(elf, out);
}
