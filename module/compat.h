/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels racetrap supports (Debian's 6.1 and
 * 6.12) lives here, so the core never tests LINUX_VERSION_CODE.
 */
#ifndef _RACETRAP_COMPAT_H
#define _RACETRAP_COMPAT_H

#include <linux/version.h>

#endif /* _RACETRAP_COMPAT_H */
