// SPDX-License-Identifier: GPL-2.0
/*
 * The attach permission check.  Attaching lets the caller stall the
 * target's threads and read its memory and registers, which is what
 * ptrace(PTRACE_ATTACH) allows, so the rule is ptrace's.  The device's
 * file mode is not enough: an admin may open /dev/racetrap to a group.
 *
 * ptrace_may_access() is not exported, so this is the same decision made
 * from exported primitives (see __ptrace_may_access()):
 *
 *  1. A thread of the caller's own process: allowed.
 *  2. The caller's real uid equals the target's real, effective and saved
 *     uid, and its real gid the target's real, effective and saved gid;
 *     or the caller has CAP_SYS_PTRACE in the target's user namespace.
 *  3. And the target is dumpable (SUID_DUMP_USER: not setuid, no
 *     PR_SET_DUMPABLE 0), or the caller has CAP_SYS_PTRACE in the user
 *     namespace of the target's mm.
 *
 * Not consulted, because their hooks are not exported: LSMs (Yama's
 * ptrace_scope, SELinux, AppArmor).  A system relying on Yama to forbid
 * same-uid ptrace should not widen the device's mode.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#include "perm.h"

static bool same_ids(const struct cred *c, const struct cred *t)
{
	return uid_eq(c->uid, t->euid) && uid_eq(c->uid, t->suid) &&
	       uid_eq(c->uid, t->uid) && gid_eq(c->gid, t->egid) &&
	       gid_eq(c->gid, t->sgid) && gid_eq(c->gid, t->gid);
}

/* Returns 0, -EPERM, or -EINVAL for a task without user memory. */
int racetrap_may_attach(struct task_struct *task)
{
	const struct cred *cred = current_cred();
	struct user_namespace *mm_ns = NULL;
	bool dumpable = false;
	bool ids_ok;

	if (same_thread_group(task, current))
		return 0;

	rcu_read_lock();
	ids_ok = same_ids(cred, __task_cred(task)) ||
		 ns_capable(__task_cred(task)->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ids_ok)
		return -EPERM;

	task_lock(task);
	if (!task->mm || (task->flags & PF_KTHREAD)) {
		task_unlock(task);
		return -EINVAL;
	}
	dumpable = get_dumpable(task->mm) == SUID_DUMP_USER;
	mm_ns = get_user_ns(task->mm->user_ns);
	task_unlock(task);

	if (!dumpable && !ns_capable(mm_ns, CAP_SYS_PTRACE)) {
		put_user_ns(mm_ns);
		return -EPERM;
	}
	put_user_ns(mm_ns);
	return 0;
}
