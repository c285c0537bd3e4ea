// SPDX-License-Identifier: GPL-2.0
/*
 * The pairs of instructions (sampled ip, trapped ip) this attachment has
 * already reported, or dropped because both sides were locked, so that a
 * window does not end on one of them again: when one write of a word
 * always comes just before another (a reset followed by the store that
 * publishes), a window that closed at the first trap would only ever
 * report the first.  A window closes at the first trap of a pair not in
 * this set, when its hit array is full, or when its time is up.
 *
 * A direct-mapped table of 64-bit keys, written in task context after a
 * report and read in #DB context: single u64 loads and stores, no lock.
 * Two pairs sharing a slot evict each other (the cost: one more window
 * closed early), and two sharing a key (one chance in 2^63 per pair)
 * keep a window open that could have closed; neither loses a report.
 */
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/string.h>
#include "pairs.h"

/* Never 0, which marks an empty slot. */
static u64 pair_key(unsigned long sampled_ip, unsigned long trapped_ip)
{
	return ((u64)sampled_ip * GOLDEN_RATIO_64 ^ trapped_ip) | 1;
}

static unsigned int pair_slot(u64 key)
{
	return hash_64(key, ilog2(RACETRAP_KNOWN_PAIRS));
}

void racetrap_pairs_reset(struct racetrap_pairs *p)
{
	memset(p->key, 0, sizeof(p->key));
}

void racetrap_pairs_add(struct racetrap_pairs *p, unsigned long sampled_ip,
			unsigned long trapped_ip)
{
	u64 key = pair_key(sampled_ip, trapped_ip);

	WRITE_ONCE(p->key[pair_slot(key)], key);
}

bool racetrap_pairs_known(const struct racetrap_pairs *p,
			  unsigned long sampled_ip, unsigned long trapped_ip)
{
	u64 key = pair_key(sampled_ip, trapped_ip);

	return READ_ONCE(p->key[pair_slot(key)]) == key;
}
