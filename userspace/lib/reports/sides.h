/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sides: the two accesses of a kernel record made into report sides
 * (site name, address, thread, symbolized frames), from the site tables
 * the session decoded and the target's symbols.
 */
#ifndef RT_SIDES_H
#define RT_SIDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uapi/linux/racetrap.h>

#include "fingerprint.h"
#include "report.h"
#include "symbolize.h"

struct rt_sides;

/*
 * @sym stays the caller's; frames per stack at most @stack_depth.  @go:
 * the records' context words are a Go target's (goctx.h's order).
 */
struct rt_sides *rt_sides_new(pid_t pid, struct rt_symbolizer *sym,
			      unsigned int stack_depth, bool go);
void rt_sides_free(struct rt_sides *sd);

/* Keep a copy of the site table the kernel knows as @table_id. */
void rt_sides_add_table(struct rt_sides *sd, uint32_t table_id,
			const char *path, const char *build_id,
			uint64_t map_start, uint64_t map_offset,
			const struct racetrap_site *sites, size_t nr_sites);

/* The sampled access's site name, from its table. */
void rt_sides_sampled_site(struct rt_sides *sd,
			   const struct racetrap_record *rec,
			   char out[RT_SITE_NAME_MAX]);

/*
 * Whether a trap at no known site was made by none of the instructions
 * that can end at its ip (rt_verdict_unknown_missed()).
 */
bool rt_sides_trap_missed(struct rt_sides *sd,
			  const struct racetrap_record *rec,
			  const struct racetrap_user_dump *dump);

/*
 * @rec's sampled access is a read and its trap is at no known site,
 * where every instruction that can end at the trap's ip only reads: two
 * reads, no conflict.
 */
bool rt_sides_trap_read_read(struct rt_sides *sd,
			     const struct racetrap_record *rec);

/*
 * One side is a read that took more bytes than its data, and the other
 * side touched only the bytes beyond (Go's hash of a short key; a Go
 * target's records with their stack dumps only).
 */
bool rt_sides_overread_beside(struct rt_sides *sd,
			      const struct racetrap_record *rec,
			      const struct racetrap_user_dump *const *dumps);

/* The trapped access's ip (before it) and site name. */
uint64_t rt_sides_trapped_ip(struct rt_sides *sd,
			     const struct racetrap_side *s,
			     char site[RT_SITE_NAME_MAX]);

/*
 * Fill @v for @role ("sampled" or "trapped"), frame 0 at @access_ip, and
 * its goroutine from the record's context words.  Free @v's frames and
 * created with rt_frames_free().
 */
void rt_sides_fill(struct rt_sides *sd, struct rt_side_view *v,
		   const char *role, const struct racetrap_side *s,
		   uint64_t access_ip, const struct racetrap_record *rec,
		   const struct racetrap_user_dump *dump);

/*
 * /proc/@pid/comm, or the thread @tid's, control characters replaced by
 * "?"; "exited" or "?" if gone.
 */
void rt_read_comm(pid_t pid, pid_t tid, char *buf, size_t len);

#endif /* RT_SIDES_H */
