/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the target's memory without effect on it: the watched bytes for
 * a record's value_before/value_after, and stack dumps.
 */
#ifndef _RACETRAP_VALUE_H
#define _RACETRAP_VALUE_H

#include <linux/types.h>

bool racetrap_value_read(unsigned long addr, unsigned int len, u64 *val);
size_t racetrap_copy_nofault(void *dst, unsigned long addr, size_t len);
bool racetrap_mm_read_lock(bool may_sleep);
void racetrap_mm_read_unlock(void);
size_t racetrap_copy_plain_locked(void *dst, unsigned long addr, size_t len);
size_t racetrap_copy_plain(void *dst, unsigned long addr, size_t len,
			   bool may_sleep);

#endif /* _RACETRAP_VALUE_H */
