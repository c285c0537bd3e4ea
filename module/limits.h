/* SPDX-License-Identifier: GPL-2.0 */
/* Caps on attachments and site-table memory, global and per user. */
#ifndef _RACETRAP_LIMITS_H
#define _RACETRAP_LIMITS_H

#include <linux/types.h>
#include <linux/uidgid.h>

/*
 * What an attachment is charged to: its caller's real uid, and whether
 * the caller may exceed the per-user caps (CAP_SYS_RESOURCE).
 */
struct racetrap_owner {
	kuid_t uid;
	bool unbound;
};

void racetrap_owner_current(struct racetrap_owner *o);
int racetrap_limits_attach(const struct racetrap_owner *o);
void racetrap_limits_detach(const struct racetrap_owner *o);
int racetrap_limits_sites(const struct racetrap_owner *o, s64 delta);
void racetrap_limits_exit(void);

#endif /* _RACETRAP_LIMITS_H */
