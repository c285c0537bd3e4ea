/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the watched bytes for a record's value_before/value_after. */
#ifndef _RACETRAP_VALUE_H
#define _RACETRAP_VALUE_H

#include <linux/types.h>

bool racetrap_value_read(unsigned long addr, unsigned int len, u64 *val);

#endif /* _RACETRAP_VALUE_H */
