// SPDX-License-Identifier: GPL-2.0
/*
 * racetrap status: every process a racetrap client samples, with its
 * counters, read from the clients' status files (see lib/session/statusfile.h).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "statusfile.h"

static void usage(void)
{
	printf("Usage: %s status [--json]\n\n", prog);
	printf("List the processes racetrap attach, racetrap run and racetrapd are\n"
	       "sampling, with the kernel's and the analyzer's counters by name.\n\n"
	       "Options:\n"
	       "  %-24s %s\n  %-24s %s\n", "--json",
	       "one JSON object per process", "-h, --help", "this text");
	printf("\nExit status: 0 ok (also when nothing is sampled), 1 error, 2 usage.\n");
}

static bool owner_alive(const char *text)
{
	const char *p = strstr(text, "owner ");
	long pid;

	if (p != text && (!p || p[-1] != '\n'))
		return false;
	pid = strtol(p + 6, NULL, 10);
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* The value of "key value" line @key, copied to @out. */
static bool field(const char *text, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ' ') {
			size_t n = strcspn(p + klen + 1, "\n");

			snprintf(out, len, "%.*s", (int)n, p + klen + 1);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static double num(const char *text, const char *key)
{
	char v[32];

	return field(text, key, v, sizeof(v)) ? strtod(v, NULL) : 0;
}

/* What limits sampling, in rates over the attachment so far. */
struct rates {
	double secs;		/* attached (to the last update) */
	double samples, site, clock, windows;	/* per second */
	double ppm;
	double used;		/* cost / budget earned, -1: unknown */
	double throttled;	/* fraction of the time */
	double clock_ms;	/* the clock's period now, 0: off */
};

static void rates(const char *text, struct rates *r)
{
	double cpu = num(text, "target_cpu_ns");

	r->secs = num(text, "updated") - num(text, "started");
	if (r->secs < 1)
		r->secs = 1;
	r->site = num(text, "stat samples_site") / r->secs;
	r->clock = num(text, "stat samples_clock") / r->secs;
	r->samples = r->site + r->clock;
	r->windows = num(text, "stat watches") / r->secs;
	r->ppm = num(text, "budget_ppm");
	r->used = cpu > 0 && r->ppm > 0 ?
		  num(text, "stat cost_ns") / (cpu * r->ppm / 1e6) : -1;
	r->throttled = num(text, "stat throttled_ns") / (r->secs * 1e9);
	r->clock_ms = num(text, "stat clock_period_us") / 1e3;
}

static void print_text(const char *text)
{
	char target[32] = "?", comm[64] = "?", owner[32] = "?", ocomm[64] = "?";
	char started[32] = "0", when[64] = "?";
	const char *p = text;
	struct rates r;
	time_t t;
	int col = 0;

	field(text, "target", target, sizeof(target));
	field(text, "comm", comm, sizeof(comm));
	field(text, "owner", owner, sizeof(owner));
	field(text, "owner_comm", ocomm, sizeof(ocomm));
	field(text, "started", started, sizeof(started));
	t = (time_t)strtoll(started, NULL, 10);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
	printf("pid %s (%s): sampled by %s[%s] since %s (%lld s)\n", target,
	       comm, ocomm, owner, when, (long long)(time(NULL) - t));
	rates(text, &r);
	printf("  %.1f samples/s (site %.1f, clock %.1f), %.1f windows/s; budget %g%%: ",
	       r.samples, r.site, r.clock, r.windows, r.ppm / 1e4);
	if (r.used >= 0)
		printf("%.0f%% of it used", 100 * r.used);
	else
		printf("use unknown");
	printf(", sampling paused %.0f%% of the time", 100 * r.throttled);
	if (r.clock_ms > 0)
		printf("; clock every %g ms", r.clock_ms);
	putchar('\n');
	while (*p) {
		size_t n = strcspn(p, "\n");
		char name[64];
		unsigned long long v;

		if ((sscanf(p, "stat %63s %llu", name, &v) == 2 ||
		     sscanf(p, "count %63s %llu", name, &v) == 2)) {
			printf("%s%-16s %12llu", col ? "   " : "  ", name, v);
			if (++col == 3) {
				putchar('\n');
				col = 0;
			}
		}
		p += n;
		if (*p)
			p++;
	}
	if (col)
		putchar('\n');
}

/* One JSON object per process, through the JSON writer: comm is the
 * target's choice and may hold any character. */
static void print_json(const char *text)
{
	char target[32] = "0", comm[64] = "", owner[32] = "0", started[32] = "0";
	struct rt_strbuf b;
	struct rates r;
	const char *p = text;
	bool first = true;

	field(text, "target", target, sizeof(target));
	field(text, "comm", comm, sizeof(comm));
	field(text, "owner", owner, sizeof(owner));
	field(text, "started", started, sizeof(started));
	rt_strbuf_init(&b);
	rt_strbuf_puts(&b, "{");
	rt_json_key(&b, "type", true);
	rt_json_str(&b, "target");
	rt_json_key(&b, "pid", false);
	rt_strbuf_printf(&b, "%ld", strtol(target, NULL, 10));
	rt_json_key(&b, "comm", false);
	rt_json_str(&b, comm);
	rt_json_key(&b, "owner", false);
	rt_strbuf_printf(&b, "%ld", strtol(owner, NULL, 10));
	rt_json_key(&b, "started", false);
	rt_strbuf_printf(&b, "%lld", strtoll(started, NULL, 10));
	rates(text, &r);
	rt_json_key(&b, "samples_per_s", false);
	rt_strbuf_printf(&b, "%.3f", r.samples);
	rt_json_key(&b, "windows_per_s", false);
	rt_strbuf_printf(&b, "%.3f", r.windows);
	rt_json_key(&b, "budget_ppm", false);
	rt_strbuf_printf(&b, "%.0f", r.ppm);
	rt_json_key(&b, "budget_used", false);
	if (r.used >= 0)
		rt_strbuf_printf(&b, "%.4f", r.used);
	else
		rt_strbuf_puts(&b, "null");
	rt_json_key(&b, "paused_fraction", false);
	rt_strbuf_printf(&b, "%.4f", r.throttled);
	rt_json_key(&b, "counters", false);
	rt_strbuf_puts(&b, "{");
	while (*p) {
		size_t n = strcspn(p, "\n");
		char name[64];
		unsigned long long v;

		if (sscanf(p, "stat %63s %llu", name, &v) == 2 ||
		    sscanf(p, "count %63s %llu", name, &v) == 2) {
			rt_json_key(&b, name, first);
			rt_strbuf_printf(&b, "%llu", v);
			first = false;
		}
		p += n;
		if (*p)
			p++;
	}
	rt_strbuf_puts(&b, "}}");
	puts(rt_strbuf_str(&b));
	rt_strbuf_free(&b);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(16384);
	if (buf) {
		n = fread(buf, 1, 16383, f);
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

int cmd_status(int argc, char **argv)
{
	const char *dir = rt_status_dir();
	bool json = false;
	struct dirent *de;
	int i, shown = 0;
	DIR *d;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage();
			return EXIT_OK;
		} else {
			return cli_usage_error("status", "unexpected '%s'", argv[i]);
		}
	}
	d = opendir(dir);
	if (!d) {
		if (errno != ENOENT) {
			cli_error("cannot read %s: %s", dir, strerror(errno));
			return EXIT_ERROR;
		}
	} else {
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);
			char path[4096];
			char *text;

			if (len < 8 || strcmp(de->d_name + len - 7, ".status"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			text = slurp(path);
			if (!text)
				continue;
			/* A client killed before it could clean up. */
			if (owner_alive(text)) {
				if (json)
					print_json(text);
				else
					print_text(text);
				shown++;
			}
			free(text);
		}
		closedir(d);
	}
	if (!shown && !json)
		printf("no process is being sampled\n");
	return EXIT_OK;
}
