// SPDX-License-Identifier: GPL-2.0
/*
 * sides: one side of a kernel record (the sampled access, or the trapped
 * one) made into what a report shows: its site, named the same way
 * whichever side it was on, its address, thread and symbolized frames.
 * Keeps a copy of each site table the session handed the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goctx.h"
#include "sides.h"
#include "verdict.h"

struct table {
	uint32_t id;
	char *path;
	char build_id[RT_BUILD_ID_MAX];
	uint64_t map_start, map_offset;
	struct racetrap_site *sites;	/* sorted by offset, as decoded */
	size_t nr_sites;
};

struct rt_sides {
	pid_t pid;
	unsigned int stack_depth;	/* frames per stack */
	bool go;			/* context words: goid, gopc */
	struct rt_symbolizer *sym;
	struct table *tables;
	size_t nr_tables;
};

void rt_read_comm(pid_t pid, pid_t tid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
			 (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	/* A thread can end between its access and our read of the record. */
	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "%s", tid ? "exited" : "?");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	rt_strip_controls(buf);
}

struct rt_sides *rt_sides_new(pid_t pid, struct rt_symbolizer *sym,
			      unsigned int stack_depth, bool go)
{
	struct rt_sides *sd = calloc(1, sizeof(*sd));

	if (!sd)
		return NULL;
	sd->pid = pid;
	sd->sym = sym;
	sd->stack_depth = stack_depth;
	sd->go = go;
	return sd;
}

void rt_sides_free(struct rt_sides *sd)
{
	if (!sd)
		return;
	for (size_t i = 0; i < sd->nr_tables; i++) {
		free(sd->tables[i].path);
		free(sd->tables[i].sites);
	}
	free(sd->tables);
	free(sd);
}

void rt_sides_add_table(struct rt_sides *an, uint32_t table_id,
			const char *path, const char *build_id,
			uint64_t map_start, uint64_t map_offset,
			const struct racetrap_site *sites, size_t nr_sites)
{
	struct table *t = NULL;

	for (size_t i = 0; i < an->nr_tables; i++)
		if (an->tables[i].id == table_id)
			t = &an->tables[i];
	if (!t) {
		t = realloc(an->tables, (an->nr_tables + 1) * sizeof(*t));
		if (!t)
			return;
		an->tables = t;
		t = &an->tables[an->nr_tables++];
		t->path = NULL;
		t->sites = NULL;
	}
	free(t->path);
	free(t->sites);
	t->nr_sites = 0;
	/* Without them a trap is placed by decoding from its symbol. */
	t->sites = nr_sites ? malloc(nr_sites * sizeof(*sites)) : NULL;
	if (t->sites) {
		memcpy(t->sites, sites, nr_sites * sizeof(*sites));
		t->nr_sites = nr_sites;
	}
	t->id = table_id;
	t->path = strdup(path ? path : "");
	snprintf(t->build_id, sizeof(t->build_id), "%s", build_id ? build_id : "");
	t->map_start = map_start;
	t->map_offset = map_offset;
	/* A new table means new code mapped (or an exec): see it now. */
	rt_symbolizer_refresh(an->sym);
}

static const struct table *table_by_id(const struct rt_sides *an,
				       uint32_t id)
{
	for (size_t i = 0; i < an->nr_tables; i++)
		if (an->tables[i].id == id)
			return &an->tables[i];
	return NULL;
}

static void site_of(struct rt_sides *an, uint64_t addr,
		    char out[RT_SITE_NAME_MAX])
{
	char bid[RT_BUILD_ID_MAX];
	uint64_t off;

	if (rt_symbolizer_site(an->sym, addr, bid, &off) == 0)
		rt_site_name(out, bid, off);
	else
		rt_site_name(out, "", addr);	/* unstable, but honest */
}

/* The sampled access: the table says where it is in its file. */
void rt_sides_sampled_site(struct rt_sides *an,
			   const struct racetrap_record *rec,
			   char out[RT_SITE_NAME_MAX])
{
	const struct table *t = table_by_id(an, rec->site_table);

	if (t)
		rt_site_name(out, t->build_id, rec->site_offset);
	else
		site_of(an, rec->sampled.ip, out);
}

/*
 * The decoded site of @bid's file that starts at file offset @off, or
 * (@at_end) ends there, as the instruction a data watchpoint trapped
 * after does; NULL if none.  Sites are sorted by offset and do not
 * overlap, so their ends are sorted too.
 */
static const struct racetrap_site *site_at(const struct rt_sides *an,
					   const char *bid, uint64_t off,
					   bool at_end)
{
	for (size_t i = 0; i < an->nr_tables; i++) {
		const struct table *t = &an->tables[i];
		size_t lo = 0, hi = t->nr_sites;

		if (!*bid || strcmp(t->build_id, bid))
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			uint64_t k = t->sites[mid].offset +
				     (at_end ? t->sites[mid].len : 0);

			if (k == off)
				return &t->sites[mid];
			if (k < off)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

/*
 * Does the access at @ip address a C11 _Atomic object, by the DWARF of
 * its site's operand (atomictype.c)?
 */
static bool atomic_type_at(struct rt_sides *an, uint64_t ip)
{
	const struct racetrap_site *site;
	char bid[RT_BUILD_ID_MAX];
	uint64_t off;

	return rt_symbolizer_site(an->sym, ip, bid, &off) == 0 &&
	       (site = site_at(an, bid, off, false)) &&
	       rt_symbolizer_atomic_operand(an->sym, ip, site);
}

/*
 * The trapped access: the IP is after it (a data watchpoint is a trap).
 * The decoded site ending there names it, so the site is the one the
 * other side's sampling would name, symbols or not; failing that, the
 * instruction ending there decoded from its function's start; failing
 * that (no symbol), the byte before the IP, as perf names return
 * addresses.  @site gets the site's name.
 */
uint64_t rt_sides_trapped_ip(struct rt_sides *an,
			     const struct racetrap_side *s,
			     char site[RT_SITE_NAME_MAX])
{
	const struct racetrap_site *ts;
	char bid[RT_BUILD_ID_MAX];
	uint64_t start, off;

	if (!(s->flags & RACETRAP_SIDE_F_AFTER)) {
		site_of(an, s->ip, site);
		return s->ip;
	}
	/* ip - 1: the access may end its mapping. */
	if (rt_symbolizer_site(an->sym, s->ip - 1, bid, &off) == 0 &&
	    (ts = site_at(an, bid, off + 1, true))) {
		rt_site_name(site, bid, ts->offset);
		return s->ip - ts->len;
	}
	if (rt_symbolizer_insn_before(an->sym, s->ip, &start))
		start = s->ip - 1;
	site_of(an, start, site);
	return start;
}

/* rt_verdict_unknown_missed() for a trap at no known site. */
bool rt_sides_trap_missed(struct rt_sides *an,
			  const struct racetrap_record *rec,
			  const struct racetrap_user_dump *dump)
{
	struct racetrap_site sites[4];
	int nr;

	if ((rec->trapped.flags & RACETRAP_SIDE_F_KNOWN) ||
	    !(rec->trapped.flags & RACETRAP_SIDE_F_AFTER) || !dump)
		return false;
	nr = rt_symbolizer_sites_ending_at(an->sym, rec->trapped.ip, sites,
					   (int)(sizeof(sites) /
						 sizeof(sites[0])));
	return rt_verdict_unknown_missed(rec, dump, sites, nr);
}

/*
 * A window that watched reads as well as writes (every window of an ABI
 * 5 module, RACETRAP_REC_F_READS_WATCHED; a goroutine window of an
 * older one) lets another thread's read through only at a site the
 * kernel knows to read: a read in code outside the sampled universe (the
 * Go runtime, libc, a function --include-func left out) traps like a
 * write.  Seen in the VM with --include-func: a sampled read of
 * runtime.writeBarrier reported against main.dispatch's read of it.  A
 * window of an older module on a read outside Go, or at a Go site
 * flagged to hold its thread, watched writes only: a trap there decoded
 * as a read is the decoder's mistake.
 */
bool rt_sides_trap_read_read(struct rt_sides *sd,
			     const struct racetrap_record *rec)
{
	const struct table *t = table_by_id(sd, rec->site_table);
	const struct racetrap_site *s =
		t ? site_at(sd, t->build_id, rec->site_offset, false) : NULL;
	struct racetrap_site sites[4];
	bool reads = rec->flags & RACETRAP_REC_F_READS_WATCHED;
	int nr;

	if (!s || (!reads && (!sd->go ||
			      (s->flags & RACETRAP_SITE_F_HOLD_THREAD))) ||
	    rec->sampled.access != RACETRAP_ACCESS_READ ||
	    (rec->trapped.flags & RACETRAP_SIDE_F_KNOWN) ||
	    !(rec->trapped.flags & RACETRAP_SIDE_F_AFTER))
		return false;
	/* From its function's start, the one instruction there is. */
	nr = rt_symbolizer_site_before(sd->sym, rec->trapped.ip, sites);
	if (nr != -ENOENT)
		return !nr && sites[0].access == RACETRAP_ACCESS_READ;
	/* No symbol: every instruction that can end there. */
	nr = rt_symbolizer_sites_ending_at(sd->sym, rec->trapped.ip, sites,
					   (int)(sizeof(sites) /
						 sizeof(sites[0])));
	if (nr <= 0)
		return false;
	for (int i = 0; i < nr; i++)
		if (sites[i].access != RACETRAP_ACCESS_READ)
			return false;
	return true;
}

/* The innermost function at @ip is Go's aeshashbody. */
static bool in_go_aeshash(struct rt_sides *sd, uint64_t ip)
{
	struct rt_frames f = { 0 };
	bool in;

	rt_symbolize(sd->sym, ip, false, &f);
	in = f.n && f.v[0].function && !strcmp(f.v[0].function, "aeshashbody");
	rt_frames_free(&f);
	return in;
}

/*
 * @rec's sampled side (its @trapped one), registers in @dump, is Go's
 * hash of a key shorter than 16 bytes, and the other side misses the
 * key.  aeshashbody loads such a key with one 16-byte MOVOU (from the
 * key's start, or ending at its end near a page's end) and masks what
 * lies beyond: those bytes belong to a neighbour, and the tiny allocator
 * packs small strings of different goroutines into one 16-byte block.
 * At that load AX is the key's start plus 16 and CX its length, before
 * and after the load alike.
 */
static bool go_hash_overread(struct rt_sides *sd,
			     const struct racetrap_record *rec, bool trapped,
			     const struct racetrap_user_dump *dump)
{
	const struct racetrap_side *s = trapped ? &rec->trapped : &rec->sampled;
	const struct racetrap_side *other = trapped ? &rec->sampled :
						      &rec->trapped;
	char site[RT_SITE_NAME_MAX];
	uint64_t key, len, ip;

	if (!dump || s->access != RACETRAP_ACCESS_READ || s->size != 16 ||
	    (trapped && !(s->flags & RACETRAP_SIDE_F_KNOWN)) ||
	    !(other->flags & RACETRAP_SIDE_F_KNOWN) || !other->size)
		return false;
	len = dump->regs[RACETRAP_DUMP_RCX];
	key = dump->regs[RACETRAP_DUMP_RAX] - 16;
	if (!len || len >= 16)
		return false;
	/* Only now the symbols: most hits are no such read. */
	ip = trapped ? rt_sides_trapped_ip(sd, s, site) : s->ip;
	return in_go_aeshash(sd, ip) &&
	       !rt_verdict_overlaps(key, len, other->addr, other->size);
}

bool rt_sides_overread_beside(struct rt_sides *sd,
			      const struct racetrap_record *rec,
			      const struct racetrap_user_dump *const *dumps)
{
	if (!sd->go || !dumps)
		return false;
	return go_hash_overread(sd, rec, false, dumps[RACETRAP_DUMP_SAMPLED]) ||
	       go_hash_overread(sd, rec, true, dumps[RACETRAP_DUMP_TRAPPED]);
}

/*
 * The trapping side's address is computed only for a known site, from
 * registers after the access: an instruction that loads into its own
 * base register (mov rax, [rax]) leaves a wrong one.  The watchpoint
 * fired, so the access overlapped the watched range: trust that instead.
 */
static uint64_t side_addr(const char *role, const struct racetrap_side *s,
			  const struct racetrap_record *rec)
{
	if (!strcmp(role, "sampled"))
		return s->addr;
	if ((s->flags & RACETRAP_SIDE_F_KNOWN) &&
	    rt_verdict_overlaps(s->addr, s->size ? s->size : 1, rec->watch_addr,
		     rec->watch_len ? rec->watch_len : 1))
		return s->addr;
	return rec->watch_addr;
}

/*
 * The frames past the access, as return addresses: the kernel's
 * frame-pointer walk where it is as long as the unwind of the stack dump
 * through the CFI, the unwind where that goes further (code built
 * without frame pointers, where the walk stops after a frame or two).
 */
static unsigned int caller_frames(struct rt_sides *an,
				  const struct racetrap_side *s,
				  const struct racetrap_user_dump *dump,
				  uint64_t out[RACETRAP_MAX_STACK])
{
	unsigned int n = s->nr_frames, fp = 1, depth = an->stack_depth;
	uint64_t pcs[RACETRAP_MAX_STACK];
	size_t nd;

	if (n > RACETRAP_MAX_STACK)
		n = RACETRAP_MAX_STACK;
	/*
	 * The kernel's frame-pointer walk checks what it can without the
	 * mappings; a return address outside executable code is data read
	 * through a %rbp that held no frame, and so is everything past it.
	 */
	while (fp < n && rt_symbolizer_is_code(an->sym, s->stack[fp]))
		fp++;
	memcpy(out, s->stack, fp * sizeof(out[0]));
	if (!dump || fp >= depth)
		return fp;
	nd = rt_symbolizer_unwind(an->sym, (pid_t)s->tid, dump, pcs, depth);
	while (nd > 1 && !rt_symbolizer_is_code(an->sym, pcs[nd - 1]))
		nd--;
	if (nd <= fp)
		return fp;
	memcpy(out, pcs, nd * sizeof(out[0]));
	return (unsigned int)nd;
}

/*
 * The goroutine from the words the kernel read at the side's g.  A goid
 * of 0 or a gopc of 0 is a g the runtime runs itself (g0, the signal g):
 * no goroutine a user knows.  Go's own traceback looks up gopc - 1, the
 * call in the `go` statement, as a return address is.
 */
static void side_goroutine(struct rt_sides *an, struct rt_side_view *v,
			   const struct racetrap_side *s, const __u64 *ctx)
{
	uint64_t goid = ctx[RT_GOCTX_GOID], gopc = ctx[RT_GOCTX_GOPC];

	if (!an->go || !(s->flags & RACETRAP_SIDE_F_CTX) || !goid || !gopc)
		return;
	v->goroutine = goid;
	/* The main goroutine's creator is the runtime's bootstrap. */
	if (goid != 1)
		rt_symbolize(an->sym, gopc, true, &v->created);
}

void rt_sides_fill(struct rt_sides *an, struct rt_side_view *v,
		   const char *role, const struct racetrap_side *s,
		   uint64_t access_ip, const struct racetrap_record *rec,
		   const struct racetrap_user_dump *dump)
{
	uint64_t stack[RACETRAP_MAX_STACK];
	unsigned int n = caller_frames(an, s, dump, stack);

	v->role = role;
	v->tid = (pid_t)s->tid;
	rt_read_comm(an->pid, v->tid, v->thread, sizeof(v->thread));
	if (!rt_symbolizer_same_process(an->sym))
		snprintf(v->thread, sizeof(v->thread), "exited");
	v->access = s->access;
	v->locked = s->flags & RACETRAP_SIDE_F_LOCKED;
	v->atomic_type = atomic_type_at(an, access_ip);
	v->size = s->size ? s->size : rec->watch_len;
	v->addr = side_addr(role, s, rec);
	/* Frame 0 is the access itself; the rest are return addresses. */
	rt_symbolize(an->sym, access_ip, false, &v->frames);
	for (unsigned int i = 1; i < n; i++) {
		if (!rt_symbolizer_is_code(an->sym, stack[i]))
			break;
		rt_symbolize(an->sym, stack[i], true, &v->frames);
	}
	side_goroutine(an, v, s, !strcmp(role, "sampled") ? rec->sampled_ctx :
			       rec->trapped_ctx);
}
