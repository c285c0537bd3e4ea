/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounded record ring read() and poll() serve.  Every entry is a
 * fixed-size record and, for records with stack dumps, a separately
 * allocated tail; both the entries and the tails' bytes are bounded.  When
 * the ring is full new records are dropped and counted, and a
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
/*
 * Dump bytes queued at most: a full ring of records with the default
 * 4 KiB dumps on both sides, and a quarter of one at the largest dumps.
 */
#define RACETRAP_RING_TAIL_MAX	(RACETRAP_RING_ENTRIES * 2 * (4096 + 256))

struct racetrap_ring_entry {
	struct racetrap_record rec;
	void *tail;			/* rec.size - sizeof(rec) bytes */
};

struct racetrap_ring {
	spinlock_t lock;
	wait_queue_head_t wq;
	struct racetrap_ring_entry *recs;
	unsigned int head, count;
	size_t tail_bytes;
	u64 lost;
	bool live;			/* an attachment may still add records */
	struct racetrap_counters *stats;
};

int racetrap_ring_init(struct racetrap_ring *r, struct racetrap_counters *s);
void racetrap_ring_free(struct racetrap_ring *r);
void racetrap_ring_push(struct racetrap_ring *r,
			const struct racetrap_record *rec, void *tail);
void racetrap_ring_set_live(struct racetrap_ring *r, bool live,
			    const struct racetrap_record *end);
ssize_t racetrap_ring_read(struct racetrap_ring *r, char __user *buf,
			   size_t len, bool nonblock);
__poll_t racetrap_ring_poll(struct racetrap_ring *r, struct file *file,
			    poll_table *pt);

#endif /* _RACETRAP_RING_H */
