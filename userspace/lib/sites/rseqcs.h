/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The restartable sequences' critical sections an ELF file declares
 * (its __rseq_cs section), whose instructions are never sampled.
 */
#ifndef RT_RSEQCS_H
#define RT_RSEQCS_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/linux/racetrap.h>

struct rt_rseq_cs {
	uint64_t lo, hi;	/* file offsets of the section: [lo, hi) */
};

/*
 * The critical sections of @elf, sorted, in *@out (free() it) and *@n.
 * Returns 0 (none found: *@out NULL, *@n 0), or -ENOMEM.
 */
int rt_rseq_cs_load(Elf *elf, struct rt_rseq_cs **out, size_t *n);

/* Drop the @sites (sorted) inside any of @cs; returns how many are left. */
size_t rt_rseq_cs_drop(const struct rt_rseq_cs *cs, size_t n,
		       struct racetrap_site *sites, size_t nr_sites);

#endif /* RT_RSEQCS_H */
