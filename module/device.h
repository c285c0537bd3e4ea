/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/racetrap: the misc device and its ioctl dispatch. */
#ifndef _RACETRAP_DEVICE_H
#define _RACETRAP_DEVICE_H

int racetrap_device_init(void);
void racetrap_device_exit(void);

#endif /* _RACETRAP_DEVICE_H */
