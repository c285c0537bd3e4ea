/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raceless: the addresses of an ELF file where no access is a program's
 * race, for the decoder to leave out the instructions that address them
 * directly (RIP-relative): read-only sections, which nothing writes, and
 * the variables of a language runtime, which only it writes.
 */
#ifndef RT_RACELESS_H
#define RT_RACELESS_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_raceless {
	struct rt_raceless_range {
		uint64_t start, end;	/* ELF virtual addresses */
	} *v;			/* sorted by start */
	size_t n;
};

/* @go: a Go program's file.  Returns 0 or -ENOMEM. */
int rt_raceless_load(Elf *elf, bool go, struct rt_raceless *out);
void rt_raceless_free(struct rt_raceless *r);

/* Whether [@addr, @addr + @size) lies within one of @r's ranges. */
bool rt_raceless_has(const struct rt_raceless *r, uint64_t addr,
		     uint64_t size);

#endif /* RT_RACELESS_H */
