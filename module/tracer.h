/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One tracer per open /dev/racetrap file: its configuration, counters,
 * record ring and, while attached, the target process and the state of
 * both sampling triggers.
 */
#ifndef _RACETRAP_TRACER_H
#define _RACETRAP_TRACER_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <uapi/linux/racetrap.h>
#include "budget.h"
#include "limits.h"
#include "pairs.h"
#include "ring.h"
#include "sites.h"
#include "stats.h"
#include "watch.h"

struct perf_event;
struct pid;
struct pid_namespace;
struct mm_struct;
struct racetrap_site_set;

#define RACETRAP_MAX_HITS	4	/* traps recorded per window */
#define RACETRAP_CLOCK_WORKS	8	/* cpu-clock samples queued at once */
#define RACETRAP_BIRTH_WORKS	8	/* newborn threads arming at once */

/* One trap in another thread, captured in #DB context. */
struct racetrap_hit {
	u32 tid;
	u16 nr_frames;
	u32 dump_size;			/* of its dump in the slot, 0: none */
	u32 ctx_flags;			/* RACETRAP_SIDE_F_CTX: @ctx was read */
	u64 ts;
	u64 ctx[RACETRAP_MAX_CTX_WORDS];
	struct pt_regs regs;
	u64 stack[RACETRAP_MAX_STACK];
};

/*
 * One sample in flight: its window borrows a set of per-CPU breakpoints
 * (watch_pool.c).  max_watchpoints bounds how many slots may be busy at
 * once.
 */
struct racetrap_slot {
	struct racetrap_tracer *tracer;
	raw_spinlock_t lock;		/* protects @task */
	struct task_struct *task;	/* the stalled thread, for wake-ups */
	atomic_t nr_hits;
	bool closing;			/* a hit ended the window */
	bool sampled_read;		/* the sampled access only reads */
	unsigned long sampled_ip;	/* the sampled access, for pairs */
	u32 stack_depth;
	struct racetrap_hit hits[RACETRAP_MAX_HITS];
	/*
	 * Stack dumps of this window (stack_dump bytes each, 0: none): one
	 * per hit, then the sampled side's.  Sized for @dumps_cap bytes,
	 * kept from window to window while the size stays the same.
	 */
	u32 dump_len;
	u32 dumps_cap;
	void *dumps;
	/* The thread a window holds, unwatched (NULL: a goroutine window). */
	struct task_struct *watch_skip;
	/*
	 * A goroutine window (sample.c): @held_g, the g of the goroutine Go
	 * was asked to preempt, while its watchpoints (@ywatch) are armed;
	 * who closes it (@ystate); its deadline and the work that closes it
	 * from there; the task_work that closes it in the thread that
	 * trapped; the record of the sampled side, taken before the
	 * goroutine left its thread.
	 */
	unsigned long held_g;
	/* g's preempt and stackguard0 offsets as checked for @held_g */
	u16 ypreempt_off, yguard_off;
	atomic_t ystate;
	bool yorphan;			/* a trap's close could not be queued */
	struct racetrap_watch ywatch;
	struct hrtimer ytimer;
	struct work_struct ywork;
	struct callback_head yclose;
	struct racetrap_record *yrec;
	u64 yopen_ns;
	u64 yarm_ns;			/* CPU time its opening took */
	u64 yback_ns;			/* its thread held after its access */
};

static inline struct racetrap_user_dump *
racetrap_slot_dump(struct racetrap_slot *slot, unsigned int i)
{
	return slot->dumps +
	       i * (sizeof(struct racetrap_user_dump) + slot->dumps_cap);
}

/* A newborn thread's arming of its own site breakpoints (trigger_site.c). */
struct racetrap_birth_work {
	struct callback_head cb;
	struct racetrap_tracer *tracer;
};

/*
 * A cpu-clock tick's sample in the making: the site at @ip is sampled in
 * the ticked thread's task context, at once or when an execute breakpoint
 * (@aim) stops the thread there (see trigger_clock.c).
 */
struct racetrap_clock_work {
	struct callback_head cb;
	struct racetrap_tracer *tracer;
	unsigned long ip;		/* the site to sample */
	struct racetrap_site_ref ref;
	atomic_t state;			/* enum in trigger_clock.c */
	struct perf_event *aim;		/* execute breakpoint at @ip */
	struct task_struct *task;	/* @aim's, compared, never dereferenced */
	u64 aimed_at;			/* ktime_get_ns() */
	unsigned long switches;		/* @task's context switches at arming */
};

struct racetrap_tracer {
	struct mutex lock;		/* ioctls, attach and teardown */
	struct racetrap_config cfg;	/* hot paths read fields with READ_ONCE */
	struct racetrap_counters stats;
	struct racetrap_ring ring;
	struct pid_namespace *pid_ns;	/* the opener's: tids in records */

	/* The attachment; valid while @attached. */
	bool attached;
	bool stopping;			/* teardown started: no new samples */
	u64 gen;			/* attachment generation */
	struct pid *tgid;
	pid_t pid_nr;			/* tgid in @pid_ns */
	struct mm_struct *mm;		/* mmgrab()'ed at attach */
	bool clock_allowed;		/* perf's right, taken at attach */
	struct racetrap_owner owner;	/* charged for it (limits.c) */
	struct list_head node;		/* registry of attached tracers */
	atomic_t inflight;		/* 1 + samples, clock and birth works */
	struct completion idle;		/* @inflight reached 0 */

	/* Site tables (RCU list, written under @lock). */
	struct list_head tables;
	u64 nr_sites;
	u32 next_table_id;
	raw_spinlock_t live_lock;	/* marking sites live (sites.c) */

	/* Samples in flight. */
	unsigned long slot_busy;
	struct racetrap_slot slots[RACETRAP_MAX_WATCHPOINTS];

	/* Clock trigger. */
	struct perf_event **clock_events;
	unsigned int nr_clock_events;
	unsigned int clock_shift;	/* the tick's pace (pace.c) */
	struct mutex aim_lock;		/* arming vs. disarming aims */
	unsigned long work_busy;
	struct racetrap_clock_work works[RACETRAP_CLOCK_WORKS];

	/* Site trigger and the liveness check, both driven by @tick. */
	struct delayed_work tick;
	u64 last_rotate;		/* jiffies64 */
	struct mutex site_lock;		/* @site_set: tick, re-arms, teardown */
	struct racetrap_site_set *site_set;	/* armed breakpoints */
	unsigned long birth_busy;
	struct racetrap_birth_work births[RACETRAP_BIRTH_WORKS];
	struct work_struct end_work;
	u64 end_gen;
	int end_reason;

	/* Pairs seen this attachment: windows stay open past them. */
	struct racetrap_pairs seen_pairs;

	/* Overhead budget. */
	struct racetrap_budget budget;
	bool throttled;
};

struct racetrap_tracer *racetrap_tracer_create(void);
void racetrap_tracer_destroy(struct racetrap_tracer *t);
int racetrap_tracer_attach(struct racetrap_tracer *t,
			   const struct racetrap_attach *a);
int racetrap_tracer_detach(struct racetrap_tracer *t);
int racetrap_tracer_config(struct racetrap_tracer *t,
			   struct racetrap_config *cfg);
void racetrap_tracer_stop(struct racetrap_tracer *t, int reason);
void racetrap_tracer_end_async(struct racetrap_tracer *t, int reason);
int racetrap_tracer_liveness(struct racetrap_tracer *t);
struct racetrap_tracer *racetrap_tracer_find_rcu(struct pid *tgid);

/*
 * Every sample and queued clock work holds a reference in @inflight, and
 * the attachment holds one more until teardown drops it and waits for
 * @idle: the last racetrap_leave() completes it, and completion's own
 * lock makes that the last touch of the tracer, which may be freed once
 * teardown returns (a wait queue woken after the count reached 0 was not:
 * teardown could see 0 and free the tracer before wake_up() ran).
 * racetrap_enter() takes a reference only while one is held, then tests
 * @stopping, paired with the barrier in racetrap_tracer_stop(): either
 * teardown sees the count or the sampler sees @stopping.
 */
static inline void racetrap_leave(struct racetrap_tracer *t)
{
	if (atomic_dec_and_test(&t->inflight))
		complete(&t->idle);
}

static inline bool racetrap_enter(struct racetrap_tracer *t)
{
	if (!atomic_inc_not_zero(&t->inflight))
		return false;
	/* Count before testing @stopping; pairs with the stop's smp_mb(). */
	smp_mb__after_atomic();
	if (READ_ONCE(t->stopping)) {
		racetrap_leave(t);
		return false;
	}
	return true;
}

/*
 * Claim the first free one of bits 0..@n-1 of @busy (a pool's in-use
 * mask): its index, or @n when all are taken.  Acquire and release, like a
 * lock: what the last holder wrote to the entry is seen by the next.
 */
static inline unsigned int racetrap_claim_bit(unsigned long *busy,
					      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!test_and_set_bit_lock(i, busy))
			break;
	return i;
}

static inline void racetrap_release_bit(unsigned long *busy, unsigned int i)
{
	clear_bit_unlock(i, busy);
}

#endif /* _RACETRAP_TRACER_H */
