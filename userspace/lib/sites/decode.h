/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instruction decoding with Capstone: which x86-64 instructions are
 * sampleable memory accesses, and in what form the kernel takes them.
 * Used on whole files (sitetable.c) and on one trapped instruction
 * (the symbolizer).
 */
#ifndef RT_DECODE_H
#define RT_DECODE_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/linux/racetrap.h>

/* A Capstone handle for x86-64 with operand details; 0 or -1. */
int rt_decode_open(csh *h);

/*
 * If @insn (decoded with details) accesses memory through one explicit
 * operand that a watchpoint can cover, fill @site (offset left to the
 * caller) and return true.  Not sites: lea, nops, prefetches and cache
 * flushes (no data access), rsp-based and fs:/gs: operands (stack and
 * thread-local), two memory operands (movs, cmps), sizes other than
 * 1..64 bytes, vector-indexed (gather/scatter) and 32-bit addressing.
 */
bool rt_decode_site(const cs_insn *insn, struct racetrap_site *site);

/*
 * Decode @code (found at address @addr) from its start and find the
 * instruction ending exactly at @end: the access a data watchpoint trapped
 * after.  Returns its address in *@start and true, or false if the decode
 * does not land on @end.  @site, if not NULL, is filled when it is a site
 * (and @is_site set).
 */
bool rt_decode_insn_ending_at(csh h, const uint8_t *code, size_t len,
			      uint64_t addr, uint64_t end, uint64_t *start,
			      struct racetrap_site *site, bool *is_site);

/*
 * Decode backwards, without a function start: every start in the @len
 * bytes of @code before @end that decodes to one instruction ending
 * exactly at @end.  Those that are sites go to @sites (at most @max);
 * returns how many, -EINVAL if one touches memory without being a site
 * (stack, string and two-address instructions), -ENOMEM.
 */
int rt_decode_sites_ending_at(csh h, const uint8_t *code, size_t len,
			      uint64_t end, struct racetrap_site *sites,
			      int max);

#endif /* RT_DECODE_H */
