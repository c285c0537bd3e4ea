/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The identity of an ELF file's code, for fingerprints and the site cache:
 * its GNU build-id, or when it has none (Go's default linker writes only a
 * Go build-id note) a hash of its executable sections' bytes.
 */
#ifndef RT_BUILDID_H
#define RT_BUILDID_H

#include <gelf.h>
#include <stddef.h>

#define RT_BUILD_ID_MAX	41	/* 40 hex digits (SHA-1 build-id) + NUL */

/*
 * Fill @out with lower-case hex: the NT_GNU_BUILD_ID note (up to 20 bytes
 * shown) or, without one, 16 hex digits of FNV-1a 64 over the contents of
 * every SHF_EXECINSTR section.  Returns 0, or -1 (@out = "") if @elf has
 * neither.
 */
int rt_build_id(Elf *elf, char out[RT_BUILD_ID_MAX]);

#endif /* RT_BUILDID_H */
