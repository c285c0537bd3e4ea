// SPDX-License-Identifier: GPL-2.0
/*
 * Record ring.  Two entries are kept back from ordinary records: one for
 * the LOST record that reports drops and one for the END record, so the
 * reader always learns that records were lost and that the attachment
 * ended.  A record with stack dumps keeps them in a kmalloc'ed tail that
 * the ring owns from push to read; the tails' bytes have their own bound
 * (RACETRAP_RING_TAIL_MAX), past which records are dropped like on a
 * full ring.
 */
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "ring.h"

#define NORMAL_MAX	(RACETRAP_RING_ENTRIES - 2)

int racetrap_ring_init(struct racetrap_ring *r, struct racetrap_counters *s)
{
	spin_lock_init(&r->lock);
	init_waitqueue_head(&r->wq);
	r->recs = kvcalloc(RACETRAP_RING_ENTRIES, sizeof(*r->recs),
			   GFP_KERNEL_ACCOUNT);
	r->stats = s;
	return r->recs ? 0 : -ENOMEM;
}

void racetrap_ring_free(struct racetrap_ring *r)
{
	unsigned int i;

	for (i = 0; i < r->count; i++)
		kfree(r->recs[(r->head + i) % RACETRAP_RING_ENTRIES].tail);
	kvfree(r->recs);
}

static size_t tail_len(const struct racetrap_record *rec)
{
	return rec->size - sizeof(*rec);
}

static void put_locked(struct racetrap_ring *r,
		       const struct racetrap_record *rec, void *tail)
{
	unsigned int at = (r->head + r->count) % RACETRAP_RING_ENTRIES;

	r->recs[at].rec = *rec;
	r->recs[at].tail = tail;
	r->tail_bytes += tail_len(rec);
	r->count++;
	racetrap_count(r->stats, RACETRAP_STAT_RECORDS);
}

/* Queue the LOST record once there is room left for it. */
/* A record that will never be read: counted, for the next LOST record. */
static void drop_locked(struct racetrap_ring *r)
{
	r->lost++;
	racetrap_count(r->stats, RACETRAP_STAT_DROPS);
}

static void flush_lost_locked(struct racetrap_ring *r)
{
	struct racetrap_record rec = {
		.size = sizeof(rec),
		.version = RACETRAP_ABI_VERSION,
		.type = RACETRAP_REC_LOST,
	};

	if (!r->lost || r->count > NORMAL_MAX)
		return;
	rec.lost = r->lost;
	rec.timestamp_ns = ktime_get_ns();
	r->lost = 0;
	put_locked(r, &rec, NULL);
}

/*
 * Queue @rec; @tail (kmalloc'ed, rec->size - sizeof(*rec) bytes, or NULL
 * with a record of exactly that size) becomes the ring's, freed here if
 * the record is dropped.
 */
void racetrap_ring_push(struct racetrap_ring *r,
			const struct racetrap_record *rec, void *tail)
{
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	flush_lost_locked(r);
	if (!r->lost && r->count < NORMAL_MAX &&
	    r->tail_bytes + tail_len(rec) <= RACETRAP_RING_TAIL_MAX) {
		put_locked(r, rec, tail);
		tail = NULL;
	} else {
		drop_locked(r);
	}
	spin_unlock_irqrestore(&r->lock, flags);
	kfree(tail);
	wake_up_interruptible_poll(&r->wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * Start (@live) or end an attachment.  Ending queues @end (the END
 * record) in the entry kept for it and wakes readers so they see EOF.
 */
void racetrap_ring_set_live(struct racetrap_ring *r, bool live,
			    const struct racetrap_record *end)
{
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	r->live = live;
	if (end) {
		flush_lost_locked(r);
		if (r->count < RACETRAP_RING_ENTRIES)
			put_locked(r, end, NULL);
		else
			drop_locked(r);
	}
	spin_unlock_irqrestore(&r->lock, flags);
	wake_up_interruptible_poll(&r->wq, EPOLLIN | EPOLLHUP);
}

static bool readable(struct racetrap_ring *r)
{
	return READ_ONCE(r->count) || !READ_ONCE(r->live);
}

ssize_t racetrap_ring_read(struct racetrap_ring *r, char __user *buf,
			   size_t len, bool nonblock)
{
	struct racetrap_record *rec;
	size_t done = 0, rsize;
	ssize_t err = 0;
	void *tail;

	if (len < sizeof(*rec))
		return -EINVAL;
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	for (;;) {
		spin_lock_irq(&r->lock);
		if (!r->count) {
			bool live = r->live;

			spin_unlock_irq(&r->lock);
			if (done || !live)
				break;
			if (nonblock) {
				err = -EAGAIN;
				break;
			}
			err = wait_event_interruptible(r->wq, readable(r));
			if (err)
				break;
			continue;
		}
		rsize = r->recs[r->head].rec.size;
		if (done + rsize > len) {
			spin_unlock_irq(&r->lock);
			if (!done)
				err = -EINVAL;
			break;
		}
		*rec = r->recs[r->head].rec;
		tail = r->recs[r->head].tail;
		r->tail_bytes -= tail_len(rec);
		r->head = (r->head + 1) % RACETRAP_RING_ENTRIES;
		r->count--;
		flush_lost_locked(r);
		spin_unlock_irq(&r->lock);
		/*
		 * A fault loses this one record, never silently: the
		 * caller gets EFAULT (or a short count), and a LOST record
		 * counts it.
		 */
		if (copy_to_user(buf + done, rec, sizeof(*rec)) ||
		    (tail && copy_to_user(buf + done + sizeof(*rec), tail,
					  tail_len(rec)))) {
			kfree(tail);
			spin_lock_irq(&r->lock);
			drop_locked(r);
			flush_lost_locked(r);
			spin_unlock_irq(&r->lock);
			err = -EFAULT;
			break;
		}
		kfree(tail);
		done += rsize;
	}
	kfree(rec);
	return done ? done : err;
}

__poll_t racetrap_ring_poll(struct racetrap_ring *r, struct file *file,
			    poll_table *pt)
{
	__poll_t mask = 0;

	poll_wait(file, &r->wq, pt);
	spin_lock_irq(&r->lock);
	if (r->count)
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (!r->live)
		mask |= EPOLLHUP;
	spin_unlock_irq(&r->lock);
	return mask;
}
