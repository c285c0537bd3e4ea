/* SPDX-License-Identifier: GPL-2.0 */
/* Pairs of conflicting instructions an attachment has already seen. */
#ifndef _RACETRAP_PAIRS_H
#define _RACETRAP_PAIRS_H

#include <linux/types.h>

#define RACETRAP_KNOWN_PAIRS	128	/* a power of two */

struct racetrap_pairs {
	u64 key[RACETRAP_KNOWN_PAIRS];
};

void racetrap_pairs_reset(struct racetrap_pairs *p);
void racetrap_pairs_add(struct racetrap_pairs *p, unsigned long sampled_ip,
			unsigned long trapped_ip);
bool racetrap_pairs_known(const struct racetrap_pairs *p,
			  unsigned long sampled_ip, unsigned long trapped_ip);

#endif /* _RACETRAP_PAIRS_H */
