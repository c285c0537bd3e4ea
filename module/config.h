/* SPDX-License-Identifier: GPL-2.0 */
/* Tracer configuration: defaults, bounds and all-or-nothing validation. */
#ifndef _RACETRAP_CONFIG_H
#define _RACETRAP_CONFIG_H

#include <uapi/linux/racetrap.h>

void racetrap_config_defaults(struct racetrap_config *cfg);
int racetrap_config_resolve(struct racetrap_config *out,
			    const struct racetrap_config *in);

#endif /* _RACETRAP_CONFIG_H */
