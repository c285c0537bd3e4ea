/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's output: reports go to syslog (and, where journald runs,
 * to the journal with structured fields), one logical report per message.
 * Writing happens on a thread of its own behind a bounded queue, so a
 * slow syslog never stalls the loop that reads the kernel's ring; what
 * does not fit in the queue is counted and the count is logged, and so is
 * what the journal refuses (it goes to syslog instead).
 */
#ifndef RACETRAPD_LOGGER_H
#define RACETRAPD_LOGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "sink.h"

enum logger_sink {
	LOGGER_SYSLOG,		/* syslog(3), or the journal if it runs */
	LOGGER_STDERR,		/* --stderr: for debugging in a terminal */
};

int logger_init(enum logger_sink sink, unsigned int queue_len,
		unsigned int syslog_max);
void logger_configure(unsigned int queue_len, unsigned int syslog_max);

/*
 * With the json option the daemon's own lines are JSON objects too:
 * {"type":"daemon","priority":"info","message":"..."}.
 */
void logger_set_json(bool json);

/*
 * Messages the journal refused since start; each went to syslog instead
 * and the count is logged ("N messages could not be sent to the journal").
 */
uint64_t logger_journal_failures(void);

/*
 * A sink (rt_sink_fn): render one report as text or JSON (the json
 * option) with its journald fields, and queue it (never blocks).
 */
void logger_emit(void *arg, const struct rt_report *r);

/* The daemon's own messages ("racetrapd: ..."), through the same queue. */
void logger_msg(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * From now on wait for room instead of dropping: for the exit summary,
 * when nothing reads the kernel's ring any more.
 */
void logger_set_blocking(void);

/* Write everything still queued, then stop the writer. */
void logger_fini(void);

#endif /* RACETRAPD_LOGGER_H */
