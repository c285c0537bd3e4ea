// SPDX-License-Identifier: GPL-2.0
/* options: the sampling options table, their ranges and their parser. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "suppress.h"

#define BOTH (RT_OPT_CLI | RT_OPT_CONF)

const struct rt_option_desc rt_option_descs[] = {
	{ "window", "US", BOTH,
	  "hold a sampled thread US microseconds, 1..100000", "500" },
	{ "site-probes", "N", BOTH,
	  "threads given a site breakpoint at each redraw, 1..1024", "16" },
	{ "rotate", "MS", BOTH,
	  "redraw the site breakpoints every MS milliseconds, 50..60000", "100" },
	{ "clock-period", "US", BOTH,
	  "cpu-clock period per thread, 1000..10000000 us of CPU time, while the "
	  "budget binds (up to 8x faster while it is mostly unused)",
	  "10000" },
	{ "max-watchpoints", "N", BOTH,
	  "samples in flight, 1..2; the module keeps as many debug registers "
	  "of every CPU while anything is attached", "1" },
	{ "watch-threads", "N|auto", BOTH,
	  "no effect: a window watches every thread (one breakpoint per "
	  "CPU); 1..65536 or auto still accepted for older configurations",
	  "auto" },
	{ "stack-depth", "N", BOTH,
	  "frames recorded per stack, 1..64", "32" },
	{ "stack-dump", "BYTES", BOTH,
	  "bytes of stack copied with each access to unwind code built "
	  "without frame pointers, 64..16384 (a multiple of 8), or 0 for "
	  "none", "4096" },
	{ "budget", "PPM|P%", BOTH,
	  "overhead budget in parts per million of the target's CPU time, "
	  "1..1000000, or a percentage such as 2%", "1%" },
	{ "triggers", "LIST", BOTH,
	  "sampling triggers: site, clock or site,clock", "site,clock" },
	{ "go-hold", "goroutine|thread", BOTH,
	  "what a window holds in a Go program: the sampled goroutine, "
	  "preempted as Go's scheduler does while its thread runs the "
	  "others, or its thread", "goroutine" },
	{ "json", NULL, BOTH,
	  "write reports as JSON Lines instead of text", "no" },
	{ "suppressions", "FILE", BOTH,
	  "ThreadSanitizer-syntax suppressions (race:, race_top:, "
	  "called_from_lib:); default none", NULL },
	{ "modules", "GLOB", BOTH,
	  "also sample mappings whose path matches GLOB (repeatable; "
	  "default: the main executable only)", NULL },
	{ "include-func", "GLOB", BOTH,
	  "sample only functions matching GLOB (repeatable; default: all)", NULL },
	{ "exclude-func", "GLOB", BOTH,
	  "do not sample functions matching GLOB (repeatable; default: none)", NULL },
	{ "keep-runtime", NULL, BOTH,
	  "also sample and report language-runtime internals (Go runtime.*)",
	  "no" },
	{ "report-atomics", NULL, BOTH,
	  "also report atomic pairs: a plain load or store against a locked "
	  "or xchg access of the same size and aligned address, or Go "
	  "sync/atomic accesses (not races; counted as hits_atomic)", "no" },
	{ "cache-dir", "DIR", BOTH,
	  "cache decoded site tables by build-id in DIR, or 'none'; off "
	  "when not root", RT_CACHE_DIR_DEFAULT },
	{ "setup-nice", "N", BOTH,
	  "nice value, 0..19, of reading and decoding the code of a target "
	  "that is already running (attach, the daemon, after an exec), so "
	  "the set-up yields to it for up to 2 s; 0 runs it at racetrap's "
	  "own priority",
	  "10" },
	{ "duration", "S", RT_OPT_CLI,
	  "stop sampling after S seconds (decimals allowed, up to 31536000; "
	  "default: until the target ends)", NULL },
	{ "exit-code", "N", RT_OPT_RUN,
	  "exit N when a race was reported and COMMAND exited 0, 0..255; "
	  "0 keeps COMMAND's status", "66" },
};
const size_t rt_nr_option_descs = sizeof(rt_option_descs) / sizeof(rt_option_descs[0]);

const struct rt_option_desc *rt_option_find(const char *name)
{
	size_t i;

	for (i = 0; i < rt_nr_option_descs; i++)
		if (!strcmp(rt_option_descs[i].name, name))
			return &rt_option_descs[i];
	return NULL;
}

int rt_parse_uint(const char *what, const char *s, unsigned long long min,
		  unsigned long long max, const char *unit,
		  unsigned long long *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s)) {
		snprintf(err, errlen, "%s: '%s' is not a number: want %llu..%llu%s%s",
			 what, s ? s : "", min, max, unit ? " " : "", unit ? unit : "");
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end) {
		snprintf(err, errlen, "%s: '%s' is not a number: want %llu..%llu%s%s",
			 what, s, min, max, unit ? " " : "", unit ? unit : "");
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		snprintf(err, errlen, "%s: %s is out of range: want %llu..%llu%s%s",
			 what, s, min, max, unit ? " " : "", unit ? unit : "");
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * A non-negative decimal with at most @scale_digits fractional digits,
 * scaled by 10^scale_digits: "1.5" with 3 digits is 1500.
 */
static int parse_fixed(const char *s, unsigned int scale_digits,
		       unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned int frac = 0;
	bool dot = false, digits = false;

	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = true;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return -1;
		if (dot && ++frac > scale_digits)
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
		digits = true;
	}
	if (!digits)
		return -1;
	for (; frac < scale_digits; frac++) {
		if (v > UINT64_MAX / 10)
			return -1;
		v *= 10;
	}
	*out = v;
	return 0;
}

int rt_parse_triggers(const char *s, unsigned int *out)
{
	unsigned int bits = 0;
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 4 && !strncmp(p, "site", 4))
			bits |= RACETRAP_TRIGGER_SITE;
		else if (n == 5 && !strncmp(p, "clock", 5))
			bits |= RACETRAP_TRIGGER_CLOCK;
		else
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!bits)
		return -1;
	*out = bits;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!s || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1") ||
	    !strcmp(s, "on"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0") ||
		 !strcmp(s, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static int push(char ***list, size_t *nr, const char *s)
{
	char **n = realloc(*list, (*nr + 1) * sizeof(**list));
	char *copy;

	if (!n)
		return -1;
	*list = n;
	copy = strdup(s);
	if (!copy)
		return -1;
	n[(*nr)++] = copy;
	return 0;
}

/* Numeric options that map straight onto a racetrap_config field. */
static const struct {
	const char *name;
	size_t field;
	unsigned long long min, max;
	const char *unit;
} uint_opts[] = {
	{ "window", offsetof(struct racetrap_config, window_us), 1, 100000, "microseconds" },
	{ "site-probes", offsetof(struct racetrap_config, site_probes), 1, 1024, "probes" },
	{ "rotate", offsetof(struct racetrap_config, site_rotate_ms), 50, 60000, "milliseconds" },
	{ "clock-period", offsetof(struct racetrap_config, clock_period_us), 1000, 10000000, "microseconds" },
	{ "max-watchpoints", offsetof(struct racetrap_config, max_watchpoints), 1, RACETRAP_MAX_WATCHPOINTS, "watchpoints" },
	{ "stack-depth", offsetof(struct racetrap_config, stack_depth), 1, RACETRAP_MAX_STACK, "frames" },
};

int rt_options_set(struct rt_options *o, const char *name, const char *value,
		   bool cli, char *err, size_t errlen)
{
	const struct rt_option_desc *d = rt_option_find(name);
	unsigned long long v;
	char what[64];
	size_t i;

	snprintf(what, sizeof(what), "%s%s", cli ? "--" : "", name);
	if (!d || !(d->where & (cli ? RT_OPT_CLI | RT_OPT_RUN : RT_OPT_CONF))) {
		snprintf(err, errlen, "unknown option '%s'", what);
		return -1;
	}
	if (d->arg && (!value || !*value)) {
		snprintf(err, errlen, "%s needs a value (%s)", what, d->arg);
		return -1;
	}

	for (i = 0; i < sizeof(uint_opts) / sizeof(uint_opts[0]); i++) {
		if (strcmp(uint_opts[i].name, name))
			continue;
		if (rt_parse_uint(what, value, uint_opts[i].min, uint_opts[i].max,
				  uint_opts[i].unit, &v, err, errlen))
			return -1;
		*(__u32 *)((char *)&o->kcfg + uint_opts[i].field) = (__u32)v;
		return 0;
	}

	if (!strcmp(name, "watch-threads")) {
		if (!strcmp(value, "auto")) {
			o->kcfg.watch_threads = 0;
			return 0;
		}
		if (rt_parse_uint(what, value, 1, RACETRAP_MAX_WATCH_THREADS,
				  "threads", &v, err, errlen))
			return -1;
		o->kcfg.watch_threads = (__u32)v;
		return 0;
	}

	if (!strcmp(name, "stack-dump")) {
		if (rt_parse_uint(what, value, 0, RACETRAP_MAX_STACK_DUMP,
				  "bytes", &v, err, errlen))
			return -1;
		if ((v && v < 64) || v % 8) {
			snprintf(err, errlen,
				 "%s: %s: want 0 (no dumps) or 64..%u bytes, a multiple of 8",
				 what, value, RACETRAP_MAX_STACK_DUMP);
			return -1;
		}
		o->kcfg.stack_dump = (__u32)v;
		o->stack_dump_set = true;
		return 0;
	}

	if (!strcmp(name, "budget")) {
		size_t len = strlen(value);

		if (len > 1 && value[len - 1] == '%') {
			char num[32];

			/* Percent with up to four decimals: 1% = 10000 ppm. */
			if (len - 1 >= sizeof(num))
				goto bad_budget;
			memcpy(num, value, len - 1);
			num[len - 1] = '\0';
			if (parse_fixed(num, 4, &v))
				goto bad_budget;
			if (v < 1 || v > 1000000) {
				snprintf(err, errlen,
					 "%s: %s is out of range: want 0.0001%%..100%%",
					 what, value);
				return -1;
			}
		} else if (rt_parse_uint(what, value, 1, 1000000,
					 "parts per million (or a percentage such as 2%)",
					 &v, err, errlen)) {
			return -1;
		}
		o->kcfg.budget_ppm = (__u32)v;
		return 0;
bad_budget:
		snprintf(err, errlen,
			 "%s: '%s' is not a percentage: want e.g. 2%% or 0.5%%",
			 what, value);
		return -1;
	}
	if (!strcmp(name, "triggers")) {
		unsigned int bits;

		if (rt_parse_triggers(value, &bits)) {
			snprintf(err, errlen,
				 "%s: '%s' is not a trigger list: want site, clock or site,clock",
				 what, value);
			return -1;
		}
		o->kcfg.triggers = bits;
		return 0;
	}
	if (!strcmp(name, "go-hold")) {
		if (strcmp(value, "goroutine") && strcmp(value, "thread")) {
			snprintf(err, errlen,
				 "%s: '%s' is not what a window holds: want goroutine or thread",
				 what, value);
			return -1;
		}
		o->go_hold_thread = !strcmp(value, "thread");
		return 0;
	}
	if (!strcmp(name, "setup-nice")) {
		if (rt_parse_uint(what, value, 0, 19, NULL, &v, err, errlen))
			return -1;
		o->setup_nice = (unsigned int)v;
		o->setup_nice_set = true;
		return 0;
	}
	if (!strcmp(name, "exit-code")) {
		if (rt_parse_uint(what, value, 0, 255, NULL, &v, err, errlen))
			return -1;
		o->exit_code = (unsigned int)v;
		o->exit_code_set = true;
		return 0;
	}
	if (!strcmp(name, "duration")) {
		if (parse_fixed(value, 3, &v) || v == 0 || v > 31536000000ULL) {
			snprintf(err, errlen,
				 "%s: '%s' is not a duration: want seconds, 0.001..31536000",
				 what, value);
			return -1;
		}
		o->duration_ms = (unsigned long)v;
		return 0;
	}
	if (!strcmp(name, "json") || !strcmp(name, "keep-runtime") ||
	    !strcmp(name, "report-atomics")) {
		bool b;

		if (parse_bool(value, &b)) {
			snprintf(err, errlen, "%s: '%s' is not yes or no", what, value);
			return -1;
		}
		if (!strcmp(name, "json"))
			o->json = b;
		else if (!strcmp(name, "keep-runtime"))
			o->keep_runtime = b;
		else
			o->report_atomics = b;
		return 0;
	}
	if (!strcmp(name, "suppressions")) {
		struct rt_suppressions *supp;
		char why[512];
		char *copy;

		/* Parsed now so that a typo fails the command line or the
		 * whole config file (a reload keeps the running one), with
		 * FILE:LINE, not each attach later. */
		if (access(value, R_OK)) {
			snprintf(err, errlen, "%s: cannot read '%s': %s", what,
				 value, strerror(errno));
			return -1;
		}
		supp = rt_supp_load(value, why, sizeof(why));
		if (!supp) {
			snprintf(err, errlen, "%s: %s", what, why);
			return -1;
		}
		rt_supp_free(supp);
		copy = strdup(value);
		if (!copy)
			goto nomem;
		free(o->suppressions);
		o->suppressions = copy;
		return 0;
	}
	if (!strcmp(name, "cache-dir")) {
		char *copy;

		if (strcmp(value, "none") && value[0] != '/') {
			snprintf(err, errlen,
				 "%s: '%s' is not an absolute path or 'none'",
				 what, value);
			return -1;
		}
		copy = strdup(value);
		if (!copy)
			goto nomem;
		free(o->cache_dir);
		o->cache_dir = copy;
		return 0;
	}
	if (!strcmp(name, "modules")) {
		if (push(&o->modules, &o->nr_modules, value))
			goto nomem;
		return 0;
	}
	if (!strcmp(name, "include-func")) {
		if (push(&o->include_funcs, &o->nr_include_funcs, value))
			goto nomem;
		return 0;
	}
	if (!strcmp(name, "exclude-func")) {
		if (push(&o->exclude_funcs, &o->nr_exclude_funcs, value))
			goto nomem;
		return 0;
	}
	snprintf(err, errlen, "option '%s' has no parser (a bug)", what);
	return -1;
nomem:
	snprintf(err, errlen, "%s: out of memory", what);
	return -1;
}

void rt_options_usage(FILE *f, unsigned int where)
{
	size_t i;

	for (i = 0; i < rt_nr_option_descs; i++) {
		const struct rt_option_desc *d = &rt_option_descs[i];
		char left[48];

		if (!(d->where & where))
			continue;
		snprintf(left, sizeof(left), "--%s%s%s", d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(f, "  %-24s %s%s%s%s\n", left, d->help,
			d->def ? " (default " : "", d->def ? d->def : "",
			d->def ? ")" : "");
	}
}

void rt_options_sites(const struct rt_options *o, struct rt_sites_opts *out)
{
	memset(out, 0, sizeof(*out));
	out->modules = (const char **)o->modules;
	out->nr_modules = o->nr_modules;
	out->include_funcs = (const char **)o->include_funcs;
	out->nr_include_funcs = o->nr_include_funcs;
	out->exclude_funcs = (const char **)o->exclude_funcs;
	out->nr_exclude_funcs = o->nr_exclude_funcs;
	out->keep_runtime = o->keep_runtime;
	out->cache_dir = rt_options_cache_dir(o);
}

const char *rt_options_cache_dir(const struct rt_options *o)
{
	if (!o->cache_dir)
		return geteuid() == 0 ? RT_CACHE_DIR_DEFAULT : NULL;
	return strcmp(o->cache_dir, "none") ? o->cache_dir : NULL;
}

static int copy_list(char ***dst, size_t *dnr, char *const *src, size_t nr)
{
	size_t i;

	*dst = NULL;
	*dnr = 0;
	for (i = 0; i < nr; i++)
		if (push(dst, dnr, src[i]))
			return -1;
	return 0;
}

int rt_options_copy(struct rt_options *dst, const struct rt_options *src)
{
	*dst = *src;
	dst->suppressions = NULL;
	dst->cache_dir = NULL;
	dst->modules = dst->include_funcs = dst->exclude_funcs = NULL;
	dst->nr_modules = dst->nr_include_funcs = dst->nr_exclude_funcs = 0;
	if (src->suppressions && !(dst->suppressions = strdup(src->suppressions)))
		goto fail;
	if (src->cache_dir && !(dst->cache_dir = strdup(src->cache_dir)))
		goto fail;
	if (copy_list(&dst->modules, &dst->nr_modules, src->modules, src->nr_modules) ||
	    copy_list(&dst->include_funcs, &dst->nr_include_funcs,
		      src->include_funcs, src->nr_include_funcs) ||
	    copy_list(&dst->exclude_funcs, &dst->nr_exclude_funcs,
		      src->exclude_funcs, src->nr_exclude_funcs))
		goto fail;
	return 0;
fail:
	rt_options_free(dst);
	return -1;
}

static void free_list(char **list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(list[i]);
	free(list);
}

void rt_options_free(struct rt_options *o)
{
	free(o->suppressions);
	free(o->cache_dir);
	free_list(o->modules, o->nr_modules);
	free_list(o->include_funcs, o->nr_include_funcs);
	free_list(o->exclude_funcs, o->nr_exclude_funcs);
	memset(o, 0, sizeof(*o));
}

int rt_options_setup_nice(const struct rt_options *o)
{
	return o->setup_nice_set ? (int)o->setup_nice : RT_SETUP_NICE_DEFAULT;
}

uint32_t rt_options_stack_dump(const struct rt_options *o)
{
	return o->stack_dump_set ? o->kcfg.stack_dump : RT_STACK_DUMP_DEFAULT;
}

const char *rt_getopt_culprit(char *const argv[], char buf[3])
{
	/* optopt: the letter for a short option, a long option's val or 0. */
	if (optopt > 0 && optopt < 128 && isgraph(optopt)) {
		buf[0] = '-';
		buf[1] = (char)optopt;
		buf[2] = '\0';
		return buf;
	}
	return argv[optind - 1];
}
