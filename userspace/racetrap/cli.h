/* SPDX-License-Identifier: GPL-2.0 */
/* What the racetrap subcommands share: option parsing and output. */
#ifndef RACETRAP_CLI_H
#define RACETRAP_CLI_H

#include <stdbool.h>

#include "options.h"
#include "sink.h"

/* Exit statuses (racetrap(8) documents them). */
#define EXIT_OK		0
#define EXIT_ERROR	1
#define EXIT_USAGE	2

extern const char *prog;	/* "racetrap" */

int cmd_attach(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

/* "racetrap: ..." on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A usage error: the message, a pointer to --help, EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Parse the sampling options (and -h/--help) out of argv.  Returns the
 * index of the first operand, -1 after --help was printed (exit 0), or -2
 * after a usage error was printed (exit 2).  @in_order stops at the first
 * operand (for `run`, whose command has options of its own).  @where:
 * the RT_OPT_* bits of the options the command takes.
 */
int cli_parse_options(int argc, char **argv, const char *cmd,
		      void (*usage)(void), bool in_order, unsigned int where,
		      struct rt_options *o);

/*
 * The session's sink (@arg: the struct rt_options): reports in text or
 * JSON as the options say, to stdout; text status lines to stderr.
 */
void cli_emit(void *arg, const struct rt_report *r);

#endif /* RACETRAP_CLI_H */
