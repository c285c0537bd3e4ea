/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RACETRAP_PERF_PIN_H
#define RACETRAP_PERF_PIN_H

int racetrap_perf_pin(void);
void racetrap_perf_unpin(void);

#endif /* RACETRAP_PERF_PIN_H */
