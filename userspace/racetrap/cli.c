// SPDX-License-Identifier: GPL-2.0
/* cli: option parsing, messages and report output shared by subcommands. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", prog, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", prog, cmd);
	return EXIT_USAGE;
}

#define OPT_BASE 256

int cli_parse_options(int argc, char **argv, const char *cmd,
		      void (*usage)(void), bool in_order, unsigned int where,
		      struct rt_options *o)
{
	struct option longopts[64];
	size_t i, n = 0;
	char err[512], culprit[3];
	int c;

	for (i = 0; i < rt_nr_option_descs && n < 62; i++) {
		const struct rt_option_desc *d = &rt_option_descs[i];

		if (!(d->where & where))
			continue;
		longopts[n++] = (struct option){
			d->name, d->arg ? required_argument : no_argument,
			NULL, OPT_BASE + (int)i };
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, in_order ? "+:h" : ":h",
				longopts, NULL)) != -1) {
		if (c == 'h') {
			usage();
			return -1;
		}
		if (c == ':') {
			cli_usage_error(cmd, "%s needs a value",
					rt_getopt_culprit(argv, culprit));
			return -2;
		}
		if (c == '?') {
			cli_usage_error(cmd, "unknown option '%s'",
					rt_getopt_culprit(argv, culprit));
			return -2;
		}
		if (rt_options_set(o, rt_option_descs[c - OPT_BASE].name, optarg,
				   true, err, sizeof(err))) {
			cli_usage_error(cmd, "%s", err);
			return -2;
		}
	}
	return optind;
}

void cli_emit(void *arg, const struct rt_report *r)
{
	const struct rt_options *o = arg;
	struct rt_strbuf b;
	const char *text;
	size_t len;

	rt_strbuf_init(&b);
	if (o->json)
		rt_render_json(&b, r);
	else
		rt_render_text(&b, r);
	/* A report cut short by a failed allocation is not shown. */
	if (b.oom)
		goto out;
	text = rt_strbuf_str(&b);
	len = strlen(text);
	/* Reports are the output; in text mode our own status lines are
	 * diagnostics and go to stderr, so stdout holds only reports. */
	if (r->kind == RT_REPORT_STATUS && !o->json) {
		fprintf(stderr, "%s%s", text,
			len && text[len - 1] == '\n' ? "" : "\n");
		goto out;
	}
	fputs(text, stdout);
	if (!len || text[len - 1] != '\n')
		fputc('\n', stdout);
	if (!o->json && r->kind != RT_REPORT_STATUS)
		fputc('\n', stdout);
	fflush(stdout);
out:
	rt_strbuf_free(&b);
}
