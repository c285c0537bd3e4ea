// SPDX-License-Identifier: GPL-2.0
/*
 * Caps on what attachments may hold, so that one user (the device may be
 * opened to a group) or a runaway client cannot take the host's memory:
 * the number of attachments and the memory of their site tables, both
 * for the whole system and per user.  An attachment otherwise holds at
 * most 128 ring records with their dump tails (about 1.1 MiB) and up to
 * RACETRAP_MAX_SITES sites of 24 bytes (24 MiB).
 *
 * Charges go to the caller's real uid, as RLIMIT_NPROC's do; a caller
 * with CAP_SYS_RESOURCE may exceed the per-user caps (as it may raise
 * rlimits), never the global ones.  The module parameters may be changed
 * at any time; a lower cap refuses new charges and takes nothing back.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <uapi/linux/racetrap.h>
#include "limits.h"

static unsigned int max_attachments = 128;
module_param(max_attachments, uint, 0644);
MODULE_PARM_DESC(max_attachments, "Attached processes, all users (default 128)");

static unsigned int max_attachments_per_user = 32;
module_param(max_attachments_per_user, uint, 0644);
MODULE_PARM_DESC(max_attachments_per_user,
		 "Attached processes per user (default 32)");

static unsigned int max_sites_mib = 512;
module_param(max_sites_mib, uint, 0644);
MODULE_PARM_DESC(max_sites_mib,
		 "MiB of site tables, all users (default 512)");

static unsigned int max_sites_mib_per_user = 128;
module_param(max_sites_mib_per_user, uint, 0644);
MODULE_PARM_DESC(max_sites_mib_per_user,
		 "MiB of site tables per user (default 128)");

/* A user's charges; freed when both are zero. */
struct user_charge {
	struct list_head node;
	kuid_t uid;
	unsigned int attachments;
	u64 sites;
};

static DEFINE_MUTEX(limits_lock);
static LIST_HEAD(charges);
static unsigned int total_attachments;
static u64 total_sites;

void racetrap_owner_current(struct racetrap_owner *o)
{
	o->uid = current_uid();
	o->unbound = capable(CAP_SYS_RESOURCE);
}

/*
 * What a site costs in a table: its entry, its indices in the live and
 * ran lists, its idle count and its two bits (sites.c), rounded up to a
 * byte.
 */
#define SITE_BYTES	(sizeof(struct racetrap_site) + 2 * sizeof(u32) + 2)

static u64 mib_to_sites(unsigned int mib)
{
	return ((u64)mib << 20) / SITE_BYTES;
}

/* @uid's entry, created if @create; NULL if absent or out of memory. */
static struct user_charge *charge_of(kuid_t uid, bool create)
{
	struct user_charge *c;

	lockdep_assert_held(&limits_lock);
	list_for_each_entry(c, &charges, node)
		if (uid_eq(c->uid, uid))
			return c;
	if (!create)
		return NULL;
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return NULL;
	c->uid = uid;
	list_add(&c->node, &charges);
	return c;
}

static void put_charge(struct user_charge *c)
{
	if (!c->attachments && !c->sites) {
		list_del(&c->node);
		kfree(c);
	}
}

/* 0, -ENOSPC over a cap, -ENOMEM. */
int racetrap_limits_attach(const struct racetrap_owner *o)
{
	struct user_charge *c;
	int ret = -ENOSPC;

	mutex_lock(&limits_lock);
	if (total_attachments >= READ_ONCE(max_attachments))
		goto out;
	c = charge_of(o->uid, true);
	ret = -ENOMEM;
	if (!c)
		goto out;
	ret = -ENOSPC;
	if (!o->unbound &&
	    c->attachments >= READ_ONCE(max_attachments_per_user)) {
		put_charge(c);
		goto out;
	}
	c->attachments++;
	total_attachments++;
	ret = 0;
out:
	mutex_unlock(&limits_lock);
	return ret;
}

void racetrap_limits_detach(const struct racetrap_owner *o)
{
	struct user_charge *c;

	mutex_lock(&limits_lock);
	c = charge_of(o->uid, false);
	if (!WARN_ON_ONCE(!c || !c->attachments)) {
		c->attachments--;
		total_attachments--;
		put_charge(c);
	}
	mutex_unlock(&limits_lock);
}

/*
 * Charge @delta sites (negative: release them); only a charge can fail,
 * with -ENOSPC.  The owner is attached, so its entry exists.
 */
int racetrap_limits_sites(const struct racetrap_owner *o, s64 delta)
{
	struct user_charge *c;
	int ret = 0;

	mutex_lock(&limits_lock);
	c = charge_of(o->uid, false);
	if (WARN_ON_ONCE(!c)) {
		ret = -ENOSPC;
		goto out;
	}
	if (delta > 0 &&
	    (total_sites + delta > mib_to_sites(READ_ONCE(max_sites_mib)) ||
	     (!o->unbound && c->sites + delta >
	      mib_to_sites(READ_ONCE(max_sites_mib_per_user))))) {
		ret = -ENOSPC;
		goto out;
	}
	c->sites += delta;
	total_sites += delta;
	put_charge(c);
out:
	mutex_unlock(&limits_lock);
	return ret;
}

/* Module unload: every attachment is gone, so is every charge. */
void racetrap_limits_exit(void)
{
	WARN_ON_ONCE(!list_empty(&charges) || total_attachments ||
		     total_sites);
}
