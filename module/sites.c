// SPDX-License-Identifier: GPL-2.0
/*
 * ADD_SITES: copy and validate a site table, find where its file is
 * mapped executable in the target, and publish it for lockless lookups
 * by the cpu-clock handler (IRQ), the sampler and the site trigger.
 */
#include <linux/bitmap.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "sites.h"
#include "tracer.h"

#define MAX_MAPS	64	/* executable mappings of one file */

static bool valid_site(const struct racetrap_site *s, loff_t isize)
{
	if (s->len < 1 || s->len > RACETRAP_MAX_INSN_LEN)
		return false;
	if (s->offset > (u64)isize || s->len > (u64)isize - s->offset)
		return false;
	if (s->base >= __RACETRAP_REG_LAST || s->index >= __RACETRAP_REG_LAST)
		return false;
	if (s->index == RACETRAP_REG_RSP || s->index == RACETRAP_REG_RIP)
		return false;
	if (s->base == RACETRAP_REG_RIP && s->index != RACETRAP_REG_NONE)
		return false;
	if (s->index == RACETRAP_REG_NONE ? s->scale != 0 :
	    !(s->scale == 1 || s->scale == 2 || s->scale == 4 || s->scale == 8))
		return false;
	if (!is_power_of_2(s->size) || s->size > 64)
		return false;
	if (s->access != RACETRAP_ACCESS_READ &&
	    s->access != RACETRAP_ACCESS_WRITE &&
	    s->access != RACETRAP_ACCESS_RMW)
		return false;
	if (s->flags & ~__RACETRAP_SITE_F_ALL)
		return false;
	if (s->__reserved)
		return false;
	/* Its function holds it and ends inside the file. */
	return !s->func_tail ||
	       (s->func_tail >= s->len &&
		s->func_tail <= (u64)isize - s->offset);
}

/* Every entry valid, sorted by offset, no two instructions overlapping. */
static bool valid_table(const struct racetrap_site *s, u32 n, loff_t isize)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (!valid_site(&s[i], isize))
			return false;
		if (i && s[i - 1].offset + s[i - 1].len > s[i].offset)
			return false;
	}
	return true;
}

/* Where @inode is mapped executable in @mm; 0 maps found is -EINVAL. */
static int find_maps(struct mm_struct *mm, struct inode *inode,
		     struct racetrap_map *maps, u32 *nr)
{
	struct vm_area_struct *vma;
	u32 n = 0;

	if (!mmget_not_zero(mm))
		return -ESRCH;
	mmap_read_lock(mm);
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end)) {
		if (!(vma->vm_flags & VM_EXEC) || !vma->vm_file ||
		    file_inode(vma->vm_file) != inode)
			continue;
		if (n == MAX_MAPS)
			break;
		maps[n].start = vma->vm_start;
		maps[n].end = vma->vm_end;
		maps[n].file_off = (u64)vma->vm_pgoff << PAGE_SHIFT;
		n++;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	*nr = n;
	return n ? 0 : -EINVAL;
}

static void table_free(struct racetrap_table *tb)
{
	path_put(&tb->path);
	kvfree(tb->sites);
	bitmap_free(tb->live.bits);
	kvfree(tb->live.idx);
	bitmap_free(tb->ran.bits);
	kvfree(tb->ran.idx);
	kvfree(tb->idle);
	kfree(tb);
}

static int list_alloc(struct racetrap_site_list *l, u32 nr_sites)
{
	l->bits = bitmap_zalloc(nr_sites, GFP_KERNEL_ACCOUNT);
	l->idx = kvmalloc_array(nr_sites, sizeof(*l->idx), GFP_KERNEL_ACCOUNT);
	atomic_set(&l->nr, 0);
	return l->bits && l->idx ? 0 : -ENOMEM;
}

/* The live-site state of a new table, charged like its sites. */
static int table_alloc_live(struct racetrap_table *tb)
{
	int live = list_alloc(&tb->live, tb->nr_sites);
	int ran = list_alloc(&tb->ran, tb->nr_sites);

	tb->idle = kvzalloc(tb->nr_sites, GFP_KERNEL_ACCOUNT);
	return live || ran || !tb->idle ? -ENOMEM : 0;
}

int racetrap_sites_add(struct racetrap_tracer *t, struct racetrap_sites *arg)
{
	struct racetrap_table *tb = NULL, *old = NULL, *it;
	struct racetrap_map *maps;
	struct racetrap_site *sites;
	struct inode *inode;
	struct file *file;
	u32 nr_maps;
	u64 total;
	s64 delta;
	int ret;

	lockdep_assert_held(&t->lock);
	if (arg->flags)
		return -EOPNOTSUPP;
	if (!t->attached)
		return -ENOENT;
	if (arg->site_size != sizeof(struct racetrap_site) || !arg->nr_sites)
		return -EINVAL;
	if (arg->nr_sites > RACETRAP_MAX_SITES)
		return -E2BIG;
	file = fget(arg->fd);
	if (!file)
		return -EBADF;
	inode = file_inode(file);
	ret = -EINVAL;
	if (!S_ISREG(inode->i_mode))
		goto out_file;

	total = t->nr_sites + arg->nr_sites;
	list_for_each_entry(it, &t->tables, node)
		if (it->inode == inode)
			old = it;
	if (old)
		total -= old->nr_sites;
	ret = -E2BIG;
	if (total > RACETRAP_MAX_SITES)
		goto out_file;
	/* A larger table is charged now, a smaller one's release waits. */
	delta = (s64)arg->nr_sites - (old ? old->nr_sites : 0);
	ret = racetrap_limits_sites(&t->owner, max_t(s64, delta, 0));
	if (ret)
		goto out_file;

	/* The caller's memory: charged to its memory cgroup. */
	ret = -ENOMEM;
	sites = kvmalloc_array(arg->nr_sites, sizeof(*sites),
			       GFP_KERNEL_ACCOUNT);
	maps = kmalloc_array(MAX_MAPS, sizeof(*maps), GFP_KERNEL_ACCOUNT);
	if (!sites || !maps)
		goto out_free;
	ret = -EFAULT;
	if (copy_from_user(sites, u64_to_user_ptr(arg->sites),
			   array_size(arg->nr_sites, sizeof(*sites))))
		goto out_free;
	ret = -EINVAL;
	if (!valid_table(sites, arg->nr_sites, i_size_read(inode)))
		goto out_free;
	ret = find_maps(t->mm, inode, maps, &nr_maps);
	if (ret)
		goto out_free;

	ret = -ENOMEM;
	tb = kzalloc(struct_size(tb, maps, nr_maps), GFP_KERNEL_ACCOUNT);
	if (!tb)
		goto out_free;
	memcpy(tb->maps, maps, nr_maps * sizeof(*maps));
	tb->nr_maps = nr_maps;
	tb->sites = sites;
	tb->nr_sites = arg->nr_sites;
	tb->path = file->f_path;
	path_get(&tb->path);
	if (table_alloc_live(tb)) {
		table_free(tb);
		sites = NULL;	/* freed with @tb */
		goto out_free;
	}
	tb->inode = inode;
	tb->id = ++t->next_table_id;

	if (old) {
		list_replace_rcu(&old->node, &tb->node);
		t->nr_sites -= old->nr_sites;
	} else {
		list_add_tail_rcu(&tb->node, &t->tables);
	}
	t->nr_sites += tb->nr_sites;
	if (delta < 0)
		racetrap_limits_sites(&t->owner, delta);
	arg->table_id = tb->id;
	kfree(maps);
	fput(file);
	if (old) {
		synchronize_rcu();
		table_free(old);
	}
	return 0;

out_free:
	kfree(maps);
	kvfree(sites);
	racetrap_limits_sites(&t->owner, -max_t(s64, delta, 0));
out_file:
	fput(file);
	return ret;
}

/* Drop every table; the caller made sure no trigger still uses them. */
void racetrap_sites_clear(struct racetrap_tracer *t)
{
	struct racetrap_table *tb, *tmp;
	LIST_HEAD(dead);

	list_for_each_entry_safe(tb, tmp, &t->tables, node) {
		list_del_rcu(&tb->node);
		list_add(&tb->dead, &dead);
	}
	racetrap_limits_sites(&t->owner, -(s64)t->nr_sites);
	t->nr_sites = 0;
	if (list_empty(&dead))
		return;
	synchronize_rcu();
	list_for_each_entry_safe(tb, tmp, &dead, dead)
		table_free(tb);
}

/* The file offset of @ip in @tb, or false if no mapping holds it. */
static bool ip_to_off(const struct racetrap_table *tb, unsigned long ip,
		      u64 *off)
{
	u32 i;

	for (i = 0; i < tb->nr_maps; i++) {
		if (ip >= tb->maps[i].start && ip < tb->maps[i].end) {
			*off = ip - tb->maps[i].start + tb->maps[i].file_off;
			return true;
		}
	}
	return false;
}

/* Index of the last site with offset <= @off, or -1. */
static long last_at_or_before(const struct racetrap_table *tb, u64 off)
{
	long lo = 0, hi = (long)tb->nr_sites - 1, best = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (tb->sites[mid].offset <= off) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best;
}

static void fill_ref(struct racetrap_site_ref *ref,
		     const struct racetrap_table *tb, long i)
{
	ref->site = tb->sites[i];
	ref->table_id = tb->id;
}

/*
 * The table that maps @ip, with @ip's offset in its file in @off.  The
 * caller holds rcu_read_lock().
 */
static struct racetrap_table *table_at(struct racetrap_tracer *t,
				       unsigned long ip, u64 *off)
{
	struct racetrap_table *tb;

	list_for_each_entry_rcu(tb, &t->tables, node)
		if (ip_to_off(tb, ip, off))
			return tb;
	return NULL;
}

/*
 * The table holding a site that starts at @ip, and the site's index in it
 * in *@idx; NULL if no site starts there.  Under rcu_read_lock().
 */
static struct racetrap_table *site_at(struct racetrap_tracer *t,
				      unsigned long ip, long *idx)
{
	struct racetrap_table *tb;
	u64 off;
	long i;

	tb = table_at(t, ip, &off);
	if (!tb)
		return NULL;
	i = last_at_or_before(tb, off);
	if (i < 0 || tb->sites[i].offset != off)
		return NULL;
	*idx = i;
	return tb;
}

/* The site whose instruction starts at @ip.  Any context. */
bool racetrap_sites_find(struct racetrap_tracer *t, unsigned long ip,
			 struct racetrap_site_ref *ref)
{
	struct racetrap_table *tb;
	long i;

	rcu_read_lock();
	tb = site_at(t, ip, &i);
	if (tb)
		fill_ref(ref, tb, i);
	rcu_read_unlock();
	return tb;
}

/*
 * Whether @off lies in the function of site @i of @tb, as far as the
 * table says: past its function's end it is code without sites (a
 * runtime left out of the table), whichever site precedes it.
 */
static bool in_func_of(const struct racetrap_table *tb, long i, u64 off)
{
	const struct racetrap_site *s = &tb->sites[i];

	return !s->func_tail || off - s->offset < s->func_tail;
}

/*
 * Where @off lies after site @i of @tb, the last site at or before it,
 * for a draw among the sites up to @reach bytes on (draw_near()).
 */
enum near_start {
	NEAR_IN_FUNC,	/* in site @i's function: draw before the next one */
	NEAR_ANY_FUNC,	/* maybe in the next function's prologue */
	NEAR_NONE,	/* in a function without sites: no draw */
};

static enum near_start near_start(const struct racetrap_table *tb, long i,
				  u64 off, unsigned int reach)
{
	const struct racetrap_site *s;

	if (i < 0 || !tb->sites[i].func_tail)
		return NEAR_ANY_FUNC;
	if (in_func_of(tb, i, off))
		return NEAR_IN_FUNC;
	/*
	 * Past the end of site @i's function.  A function's prologue before
	 * its first site, with the padding before it, is short; a longer
	 * stretch without sites holds a function that has none (a runtime
	 * left out of the table), which never runs on into the next site.
	 */
	s = &tb->sites[i];
	if (i + 1 < tb->nr_sites &&
	    tb->sites[i + 1].offset - (s->offset + s->func_tail) > reach)
		return NEAR_NONE;
	return NEAR_ANY_FUNC;
}

/*
 * One site drawn uniformly among those from index @first (the first after
 * @off, @ip's offset) up to @reach bytes after @ip, and the address it is
 * mapped at (@ip's mapping).  The draw stays in the function @ip runs in:
 * it stops at the next function's first site (RACETRAP_SITE_F_FUNC_START),
 * which a thread reaches only through a call or a jump, not by running on.
 * With @start NEAR_IN_FUNC a function starting at @first is already
 * another; with NEAR_ANY_FUNC @ip may be in its prologue.
 */
static bool draw_near(const struct racetrap_table *tb, long first, u64 off,
		      unsigned long ip, unsigned int reach,
		      enum near_start start, struct racetrap_site_ref *ref,
		      unsigned long *vaddr)
{
	long last, i;

	if (start == NEAR_NONE)
		return false;
	for (last = first; last < tb->nr_sites &&
	     tb->sites[last].offset - off <= reach; last++)
		if ((tb->sites[last].flags & RACETRAP_SITE_F_FUNC_START) &&
		    (last > first || start == NEAR_IN_FUNC))
			break;
	if (last == first)
		return false;
	i = first + get_random_u32_below(last - first);
	fill_ref(ref, tb, i);
	*vaddr = ip + (tb->sites[i].offset - off);
	return true;
}

/*
 * One site drawn uniformly among those starting at or after @ip and no
 * more than @reach bytes on, and the address it is mapped at (@ip's
 * mapping).  Any context.
 */
bool racetrap_sites_find_near(struct racetrap_tracer *t, unsigned long ip,
			      unsigned int reach, struct racetrap_site_ref *ref,
			      unsigned long *vaddr)
{
	struct racetrap_table *tb;
	bool found = false;
	long first;
	u64 off;

	rcu_read_lock();
	tb = table_at(t, ip, &off);
	if (tb) {
		first = last_at_or_before(tb, off);
		if (first >= 0 && tb->sites[first].offset == off)
			found = draw_near(tb, first, off, ip, reach,
					  NEAR_ANY_FUNC, ref, vaddr);
		else
			found = draw_near(tb, first + 1, off, ip, reach,
					  near_start(tb, first, off, reach),
					  ref, vaddr);
	}
	rcu_read_unlock();
	return found;
}

/*
 * The site whose instruction ends at @ip (a trap's ip): looked up by its
 * last byte, @ip - 1, which the mapping holding the instruction covers
 * even when @ip is already past its end.  Any context.
 */
bool racetrap_sites_find_ending(struct racetrap_tracer *t, unsigned long ip,
				struct racetrap_site_ref *ref)
{
	struct racetrap_table *tb;
	bool found = false;
	u64 last;
	long i;

	rcu_read_lock();
	tb = table_at(t, ip - 1, &last);
	if (tb) {
		i = last_at_or_before(tb, last);
		if (i >= 0 &&
		    tb->sites[i].offset + tb->sites[i].len == last + 1) {
			fill_ref(ref, tb, i);
			found = true;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * Live sites.  Most sites of a binary never run in a given service (error
 * paths, unused library code), and a probe drawn among all of them
 * mostly sits unfired until the next rotation.  So the site trigger
 * draws most of its probes among the sites seen to run, learnt by
 * function: a clock tick or a fired probe in a function makes its sites
 * live, up to LIVE_REACH either side (a function that runs at all mostly
 * runs its straight-line code, and the racy access of a request handler
 * is rarely where the CPU time goes).  A live site whose probe was
 * removed unfired is retired from those draws (IDLE_RETIRE), and
 * comes back when a draw among all sites sees it fire, or once the live
 * draws find only retired sites (racetrap_sites_forgive()): a site that
 * runs now and then must not stay retired for one unlucky rotation.
 *
 * Sites that ran: those sampled, by a fired probe, a clock tick on it or
 * an aim reached.  A live function is mostly cold code (a formatter's
 * cases for other verbs, error paths), so a draw among the live sites
 * mostly arms a site that never fires; a draw among the sites that ran
 * is DataCollider's draw, uniform over code that runs, learnt as it
 * runs.  The same retirement applies.
 */
#define LIVE_REACH	256	/* sites made live either side of one */
#define IDLE_RETIRE	1	/* unfired probes in a row */
#define LIVE_TRIES	32	/* draws before giving up on a list */

/*
 * Add site @i to @l, if it is not in it yet; true if it was added.  Under
 * @t->live_lock.
 */
static bool list_add_site(struct racetrap_site_list *l, u32 i)
{
	int n;

	if (test_and_set_bit(i, l->bits))
		return false;
	n = atomic_read(&l->nr);
	WRITE_ONCE(l->idx[n], i);
	/* Publish the index before the count that covers it. */
	atomic_set_release(&l->nr, n + 1);
	return true;
}

/* Make site @i of @tb live, if it is not yet.  Under @t->live_lock. */
static void add_live(struct racetrap_tracer *t, struct racetrap_table *tb,
		     u32 i)
{
	if (list_add_site(&tb->live, i))
		racetrap_count(&t->stats, RACETRAP_STAT_SITES_LIVE);
}

/* Site @i of @tb ran.  Any context: takes @t->live_lock. */
static void add_ran(struct racetrap_tracer *t, struct racetrap_table *tb,
		    u32 i)
{
	unsigned long flags;
	bool added;

	if (test_bit(i, tb->ran.bits))
		return;
	raw_spin_lock_irqsave(&t->live_lock, flags);
	added = list_add_site(&tb->ran, i);
	raw_spin_unlock_irqrestore(&t->live_lock, flags);
	if (added)
		racetrap_count(&t->stats, RACETRAP_STAT_SITES_RAN);
}

/*
 * The sites [@first, @end) of the function holding site @i of @tb, at most
 * LIVE_REACH either side of @i: a large function (Go's memmove, a
 * generated switch) mostly runs a part of itself, and all of it would
 * swamp the live set.  A table without function starts (a stripped
 * binary) is taken the same way, bounded by LIVE_REACH only.
 */
static void func_sites(const struct racetrap_table *tb, long i, long *first,
		       long *end)
{
	long k = i;

	while (k > 0 && i - k < LIVE_REACH &&
	       !(tb->sites[k].flags & RACETRAP_SITE_F_FUNC_START))
		k--;
	*first = k;
	for (k = *first + 1; k < tb->nr_sites && k - i <= LIVE_REACH; k++)
		if (tb->sites[k].flags & RACETRAP_SITE_F_FUNC_START)
			break;
	*end = k;
}

/* The function holding site @i of @tb made live (func_sites()). */
static void mark_func_live(struct racetrap_tracer *t,
			   struct racetrap_table *tb, long i)
{
	long first, end, k;

	func_sites(tb, i, &first, &end);
	for (k = first; k < end; k++)
		add_live(t, tb, k);
}

/*
 * One site drawn uniformly among those of the function @ip runs in
 * (func_sites()), before @ip as well as after it, and the address it is
 * mapped at (@ip's mapping); false if @ip is in no function with sites.
 * For an aim at a caller's code: a request handler's own accesses run
 * once per request, between the calls where its time goes, and a draw
 * only after the return address would never reach those before it.
 * Any context.
 */
bool racetrap_sites_draw_func(struct racetrap_tracer *t, unsigned long ip,
			      struct racetrap_site_ref *ref,
			      unsigned long *vaddr)
{
	struct racetrap_table *tb;
	long i, first, end;
	bool found = false;
	u64 off;

	rcu_read_lock();
	tb = table_at(t, ip, &off);
	if (tb) {
		i = last_at_or_before(tb, off);
		if (i >= 0 && tb->sites[i].func_tail && in_func_of(tb, i, off)) {
			func_sites(tb, i, &first, &end);
			i = first + get_random_u32_below(end - first);
			fill_ref(ref, tb, i);
			*vaddr = ip - off + tb->sites[i].offset;
			found = true;
		}
	}
	rcu_read_unlock();
	return found;
}

/* @off runs: the function of site @i, the last at or before it, is live. */
static void note_live(struct racetrap_tracer *t, struct racetrap_table *tb,
		      long i, u64 off)
{
	unsigned long flags;

	/* Once its site is live, so is its part of the function. */
	if (i < 0 || test_bit(i, tb->live.bits) || !in_func_of(tb, i, off))
		return;
	raw_spin_lock_irqsave(&t->live_lock, flags);
	mark_func_live(t, tb, i);
	raw_spin_unlock_irqrestore(&t->live_lock, flags);
}

/*
 * @ip runs in the target: make its function's sites live.  Any context
 * (the clock's hard interrupt on any CPU, a site hit's task_work); the
 * writers of the live list take @t->live_lock.
 */
void racetrap_sites_mark_live(struct racetrap_tracer *t, unsigned long ip)
{
	struct racetrap_table *tb;
	u64 off;

	rcu_read_lock();
	tb = table_at(t, ip, &off);
	if (tb)
		note_live(t, tb, last_at_or_before(tb, off), off);
	rcu_read_unlock();
}

/*
 * A clock tick at @ip: its function made live (racetrap_sites_mark_live())
 * and the site at @ip found (RACETRAP_TICK_AT, *@vaddr = @ip), else one
 * drawn within @reach bytes after it (RACETRAP_TICK_NEAR, as
 * racetrap_sites_find_near()), in one search.  Any context.
 */
enum racetrap_tick_site racetrap_sites_at_tick(struct racetrap_tracer *t,
					       unsigned long ip,
					       unsigned int reach,
					       struct racetrap_site_ref *ref,
					       unsigned long *vaddr)
{
	enum racetrap_tick_site found = RACETRAP_TICK_NONE;
	struct racetrap_table *tb;
	u64 off;
	long i;

	rcu_read_lock();
	tb = table_at(t, ip, &off);
	if (tb) {
		i = last_at_or_before(tb, off);
		note_live(t, tb, i, off);
		if (i >= 0 && tb->sites[i].offset == off) {
			fill_ref(ref, tb, i);
			*vaddr = ip;
			found = RACETRAP_TICK_AT;
		} else if (draw_near(tb, i + 1, off, ip, reach,
				     near_start(tb, i, off, reach), ref,
				     vaddr)) {
			found = RACETRAP_TICK_NEAR;
		}
	}
	rcu_read_unlock();
	return found;
}

static struct racetrap_site_list *pool_of(struct racetrap_table *tb,
					  enum racetrap_site_pool pool)
{
	return pool == RACETRAP_POOL_RAN ? &tb->ran : &tb->live;
}

/*
 * One site drawn uniformly among those of @pool in all tables that are
 * not retired, its index in its table in @idx; false if none was found
 * in a few tries, with *@retired set if the pool had sites (all those
 * drawn were retired).  Process context.
 */
bool racetrap_sites_draw(struct racetrap_tracer *t,
			 enum racetrap_site_pool pool,
			 struct racetrap_site_ref *ref, u32 *idx, bool *retired)
{
	struct racetrap_table *tb;
	unsigned int tries;
	bool found = false;
	u64 total = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(tb, &t->tables, node)
		total += atomic_read_acquire(&pool_of(tb, pool)->nr);
	for (tries = 0; total && !found && tries < LIVE_TRIES; tries++) {
		u64 r = get_random_u32_below(total);

		list_for_each_entry_rcu(tb, &t->tables, node) {
			struct racetrap_site_list *l = pool_of(tb, pool);
			u32 n = atomic_read_acquire(&l->nr), i;

			if (r >= n) {
				r -= n;
				continue;
			}
			i = READ_ONCE(l->idx[r]);
			if (READ_ONCE(tb->idle[i]) < IDLE_RETIRE) {
				fill_ref(ref, tb, i);
				*idx = i;
				found = true;
			}
			break;
		}
	}
	rcu_read_unlock();
	*retired = total && !found;
	return found;
}

/*
 * The site at @ip ran: a sample was taken there (a clock tick on it, an
 * aim reached).  Process context.
 */
void racetrap_sites_note_ran(struct racetrap_tracer *t, unsigned long ip)
{
	struct racetrap_table *tb;
	long i;

	rcu_read_lock();
	tb = site_at(t, ip, &i);
	if (tb)
		add_ran(t, tb, i);
	rcu_read_unlock();
}

/* The table with id @table_id, or NULL.  The caller holds rcu_read_lock(). */
static struct racetrap_table *table_by_id(struct racetrap_tracer *t,
					  u32 table_id)
{
	struct racetrap_table *tb;

	list_for_each_entry_rcu(tb, &t->tables, node)
		if (tb->id == table_id)
			return tb;
	return NULL;
}

/* Where site @ref is mapped in the target; false if nowhere now. */
bool racetrap_sites_vaddr(struct racetrap_tracer *t,
			  const struct racetrap_site_ref *ref,
			  unsigned long *vaddr)
{
	const struct racetrap_table *tb;
	bool found = false;
	u32 i;

	rcu_read_lock();
	tb = table_by_id(t, ref->table_id);
	for (i = 0; tb && i < tb->nr_maps; i++) {
		const struct racetrap_map *m = &tb->maps[i];

		if (ref->site.offset >= m->file_off &&
		    ref->site.offset - m->file_off < m->end - m->start) {
			*vaddr = m->start + (ref->site.offset - m->file_off);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * A site breakpoint on site @idx of table @table_id was taken out: @fired
 * or not.  Process context.
 */
void racetrap_sites_note_probe(struct racetrap_tracer *t, u32 table_id,
			       u32 idx, bool fired)
{
	struct racetrap_table *tb;

	if (!fired)
		racetrap_count(&t->stats, RACETRAP_STAT_PROBES_IDLE);
	rcu_read_lock();
	tb = table_by_id(t, table_id);
	if (tb && idx < tb->nr_sites) {
		if (fired) {
			WRITE_ONCE(tb->idle[idx], 0);
			add_ran(t, tb, idx);
		} else if (tb->idle[idx] < U8_MAX) {
			WRITE_ONCE(tb->idle[idx], tb->idle[idx] + 1);
		}
	}
	rcu_read_unlock();
}

/*
 * Give every retired site of @l its chance again; false if @l is empty.
 * Under rcu_read_lock().
 */
static bool forgive_list(struct racetrap_table *tb,
			 struct racetrap_site_list *l)
{
	u32 n = atomic_read_acquire(&l->nr), i;

	for (i = 0; i < n; i++)
		WRITE_ONCE(tb->idle[READ_ONCE(l->idx[i])], 0);
	return n > 0;
}

/*
 * Give every retired site of @pool its chance again; false if the pool
 * is empty.  Process context.
 */
bool racetrap_sites_forgive(struct racetrap_tracer *t,
			    enum racetrap_site_pool pool)
{
	struct racetrap_table *tb;
	bool any = false;

	rcu_read_lock();
	list_for_each_entry_rcu(tb, &t->tables, node)
		any |= forgive_list(tb, pool_of(tb, pool));
	rcu_read_unlock();
	return any;
}
