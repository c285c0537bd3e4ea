/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounded record ring read() and poll() serve.  Records are fixed
 * size; when the ring is full new ones are dropped and counted, and a
 * RACETRAP_REC_LOST record carries the count as soon as there is room.
 */
#ifndef _RACETRAP_RING_H
#define _RACETRAP_RING_H

#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <uapi/linux/racetrap.h>
#include "stats.h"

#define RACETRAP_RING_ENTRIES	128

struct racetrap_ring {
	spinlock_t lock;
	wait_queue_head_t wq;
	struct racetrap_record *recs;
	unsigned int head, count;
	u64 lost;
	bool live;			/* an attachment may still add records */
	struct racetrap_counters *stats;
};

int racetrap_ring_init(struct racetrap_ring *r, struct racetrap_counters *s);
void racetrap_ring_free(struct racetrap_ring *r);
void racetrap_ring_push(struct racetrap_ring *r,
			const struct racetrap_record *rec);
void racetrap_ring_set_live(struct racetrap_ring *r, bool live,
			    const struct racetrap_record *end);
ssize_t racetrap_ring_read(struct racetrap_ring *r, char __user *buf,
			   size_t len, bool nonblock);
__poll_t racetrap_ring_poll(struct racetrap_ring *r, struct file *file,
			    poll_table *pt);

#endif /* _RACETRAP_RING_H */
