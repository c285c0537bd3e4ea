/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampling options shared by `racetrap attach|run` (as --NAME VALUE) and
 * racetrapd.conf (as NAME VALUE lines): one table, one parser, so the two
 * never disagree on a name, a range or a message.
 */
#ifndef RT_OPTIONS_H
#define RT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uapi/linux/racetrap.h>

#include "sites.h"

struct rt_options {
	/* Kernel sampling configuration; a zero field is the kernel default. */
	struct racetrap_config kcfg;
	bool json;
	bool keep_runtime;
	bool report_atomics;
	/* --go-hold thread: Go windows hold threads, not goroutines. */
	bool go_hold_thread;
	char *suppressions;
	/* Site-table cache directory; NULL = the default, "none" = off. */
	char *cache_dir;
	char **modules;
	size_t nr_modules;
	char **include_funcs;
	size_t nr_include_funcs;
	char **exclude_funcs;
	size_t nr_exclude_funcs;
	/* How long to sample, in milliseconds; 0 = until the target ends. */
	unsigned long duration_ms;
	/* --stack-dump given (kcfg.stack_dump, 0 = none); else the default. */
	bool stack_dump_set;
	/* racetrap run's status after a race (--exit-code); see below. */
	unsigned int exit_code;
	bool exit_code_set;
	/* --setup-nice given; else RT_SETUP_NICE_DEFAULT. */
	unsigned int setup_nice;
	bool setup_nice_set;
};

/*
 * racetrap run's exit status when it reported a race and the command
 * exited 0: TSan's and Go's -race default, so a CI job fails the same way.
 */
#define RT_EXIT_CODE_DEFAULT 66

/*
 * Stack dump bytes per access when not told: enough for the racing
 * function's callers down to the thread's start in typical C and C++
 * code (a few frames of a few hundred bytes each, the odd local buffer),
 * at ~8 KiB per record.  perf's --call-graph dwarf takes 8192 for whole
 * profiles; racetrap needs the callers of one access.
 */
#define RT_STACK_DUMP_DEFAULT 4096

/*
 * The nice value of attach set-up beside a running target.  The CFS
 * weight of nice 10 is about a tenth of nice 0's: next to a busy thread
 * of the target the set-up takes about 10% of that CPU and still ends;
 * on an idle CPU it runs at full speed.  Nice 19 (1.5%) was tried and
 * starved in a saturated guest (Documentation/engine.rst).
 */
#define RT_SETUP_NICE_DEFAULT 10

/* Where site tables are cached by build-id by default (root only). */
#define RT_CACHE_DIR_DEFAULT "/var/cache/racetrap"

/* Where an option may appear. */
#define RT_OPT_CLI	(1U << 0)
#define RT_OPT_CONF	(1U << 1)
#define RT_OPT_RUN	(1U << 2)	/* `racetrap run` only */

struct rt_option_desc {
	const char *name;	/* "window": --window and `window` lines */
	const char *arg;	/* "US", or NULL for a flag */
	unsigned int where;	/* RT_OPT_* */
	const char *help;
	/* The default as a value the option takes ("500", "1%", "no"), or
	 * NULL when not giving the option means "none" or "all" (say so in
	 * @help).  --help, racetrap(8), racetrapd.conf(5), the admin guide
	 * and the example config show it; test_defaults checks they agree
	 * with this table and with the module's own (module/config.c). */
	const char *def;
};

extern const struct rt_option_desc rt_option_descs[];
extern const size_t rt_nr_option_descs;

const struct rt_option_desc *rt_option_find(const char *name);

/*
 * Set option @name from @value (NULL for a flag given without one).
 * @cli selects how the option is named in messages ("--window" or
 * "window").  Returns 0, or -1 with a message in @err; on error @o is
 * unchanged.
 */
int rt_options_set(struct rt_options *o, const char *name, const char *value,
		   bool cli, char *err, size_t errlen);

/* Print "  --NAME ARG  help" lines for every option valid in @where. */
void rt_options_usage(FILE *f, unsigned int where);

/* Fill @out with pointers into @o (valid while @o lives). */
void rt_options_sites(const struct rt_options *o, struct rt_sites_opts *out);

/*
 * The cache directory @o asks for: RT_CACHE_DIR_DEFAULT for root when
 * unset, NULL when "none" or unset for another user.
 */
const char *rt_options_cache_dir(const struct rt_options *o);

/* Deep copy (0, or -1 when out of memory) and release. */
int rt_options_copy(struct rt_options *dst, const struct rt_options *src);
void rt_options_free(struct rt_options *o);

/* The racetrap_config.stack_dump to ask for: --stack-dump or the default. */
uint32_t rt_options_stack_dump(const struct rt_options *o);
/* The nice value for setting up beside a running target. */
int rt_options_setup_nice(const struct rt_options *o);

/* Parse "site,clock" into RACETRAP_TRIGGER_* bits; -1 if a name is unknown. */
int rt_parse_triggers(const char *s, unsigned int *out);

/*
 * Parse a decimal unsigned integer in [min, max]; 0 on success, -1 with a
 * message naming @what and the range (in @unit) otherwise.
 */
int rt_parse_uint(const char *what, const char *s, unsigned long long min,
		  unsigned long long max, const char *unit,
		  unsigned long long *out, char *err, size_t errlen);

/*
 * The argument getopt_long() just refused ('?' or ':'), as typed: "-x"
 * (in @buf) for a letter inside a cluster such as "-xy", where optind
 * has not moved past the cluster yet, else argv[optind - 1].
 */
const char *rt_getopt_culprit(char *const argv[], char buf[3]);

#endif /* RT_OPTIONS_H */
