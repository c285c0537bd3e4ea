// SPDX-License-Identifier: GPL-2.0
/*
 * Every option's default is written once, in lib/options.c's table, and
 * shown in --help from there.  The other places a user reads it must
 * agree: the module's own tunables (module/config.c, for the options
 * that set them), racetrap(8), racetrapd.conf(5), the admin guide's table
 * and the example racetrapd.conf.  One result per place, naming every
 * option that disagrees.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "testlib.h"

/* The options that set a kernel tunable, and its racetrap_config field. */
static const struct {
	const char *opt, *field;
	size_t off;
} kernel_opts[] = {
	{ "window", "window_us", offsetof(struct racetrap_config, window_us) },
	{ "site-probes", "site_probes", offsetof(struct racetrap_config, site_probes) },
	{ "rotate", "site_rotate_ms", offsetof(struct racetrap_config, site_rotate_ms) },
	{ "clock-period", "clock_period_us", offsetof(struct racetrap_config, clock_period_us) },
	{ "max-watchpoints", "max_watchpoints", offsetof(struct racetrap_config, max_watchpoints) },
	{ "stack-depth", "stack_depth", offsetof(struct racetrap_config, stack_depth) },
	{ "budget", "budget_ppm", offsetof(struct racetrap_config, budget_ppm) },
	{ "triggers", "triggers", offsetof(struct racetrap_config, triggers) },
};

static char *slurp(const char *rel)
{
	char path[4096], *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int c;

	snprintf(path, sizeof(path), "%s/%s", RT_TOP, rel);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* The default module/config.c gives @field: TUNABLE(field, DEFAULT, ...). */
static long long kernel_default(const char *src, const char *field)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "TUNABLE(%s, ", field);
	p = strstr(src, key);
	if (!p)
		return -1;
	p += strlen(key);
	if (!strncmp(p, "__RACETRAP_TRIGGER_ALL", 22))
		return __RACETRAP_TRIGGER_ALL;
	return isdigit((unsigned char)*p) ? strtoll(p, NULL, 10) : -1;
}

static void check_kernel(void)
{
	char *src = slurp("module/config.c"), err[256], bad[512] = "";
	size_t i;

	for (i = 0; src && i < sizeof(kernel_opts) / sizeof(kernel_opts[0]); i++) {
		const struct rt_option_desc *d = rt_option_find(kernel_opts[i].opt);
		struct rt_options o = { 0 };
		long long want = kernel_default(src, kernel_opts[i].field);
		__u32 got;

		if (!d || !d->def ||
		    rt_options_set(&o, d->name, d->def, true, err, sizeof(err)))
			got = 0;
		else
			got = *(__u32 *)((char *)&o.kcfg + kernel_opts[i].off);
		if (want < 0 || got != want)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %s(table %s, module %lld)", kernel_opts[i].opt,
				 d && d->def ? d->def : "none", want);
		rt_options_free(&o);
	}
	if (!src || *bad)
		ktap_diag("disagree:%s", src ? bad : " module/config.c unreadable");
	ktap_result(src && !*bad, "defaults_match_the_module");
	free(src);
}

/* A man page's paragraph for @tag as plain text: font escapes, \- and
 * macro names gone, lines joined. */
static char *man_paragraph(const char *page, const char *tag,
			   const char **from)
{
	const char *p = *from, *end;
	char *out, *o;

	for (;;) {
		p = strstr(p, tag);
		if (!p)
			return NULL;
		const char *bol = p;

		while (bol > page && bol[-1] != '\n')
			bol--;
		/* The option's own ".B"/".BI"/".BR" line, not a mention. */
		if (!strncmp(bol, ".B", 2) && p[-1] == ' ' &&
		    (p[strlen(tag)] == ' ' || p[strlen(tag)] == '\n'))
			break;
		p++;
	}
	*from = p + 1;
	end = p;
	while ((end = strchr(end, '\n')) && strncmp(end + 1, ".TP", 3) &&
	       strncmp(end + 1, ".SH", 3))
		end++;
	if (!end)
		end = p + strlen(p);
	o = out = malloc((size_t)(end - p) + 1);
	while (p < end) {
		if (*p == '\\' && p[1] == 'f') {
			p += 3;
		} else if (*p == '\\' && p[1] == '-') {
			*o++ = '-';
			p += 2;
		} else if (*p == '\n' && p[1] == '.') {
			*o++ = ' ';
			p += strcspn(p + 1, " \n") + 1;
		} else if (*p == '"') {
			p++;
		} else {
			*o++ = *p == '\n' ? ' ' : *p;
			p++;
		}
	}
	*o = '\0';
	return out;
}

/* "default DEF" or "Default: DEF" somewhere in @text. */
static bool says_default(const char *text, const char *def)
{
	const char *p = text;

	while ((p = strcasestr(p, "default"))) {
		p += 7;
		p += strspn(p, ": ");
		if (!strncmp(p, def, strlen(def)))
			return true;
	}
	return false;
}

static void check_man(const char *rel, unsigned int where, const char *dashes)
{
	char *page = slurp(rel), bad[1024] = "", tag[96];
	size_t i, k;

	for (i = 0; page && i < rt_nr_option_descs; i++) {
		const struct rt_option_desc *d = &rt_option_descs[i];
		const char *from;
		bool found;
		char *para;

		if (!d->def || !(d->where & where))
			continue;
		/* racetrap.8 writes --site-probes as \-\-site\-probes. */
		snprintf(tag, sizeof(tag), "%s", dashes);
		for (k = 0; d->name[k]; k++) {
			if (d->name[k] == '-')
				strcat(tag, "\\-");
			else
				strncat(tag, &d->name[k], 1);
		}
		/* Any of its paragraphs (status has a --json too). */
		from = page;
		found = false;
		while (!found && (para = man_paragraph(page, tag, &from))) {
			found = says_default(para, d->def);
			free(para);
		}
		if (!found)
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %s(want 'default %s')", d->name, d->def);
	}
	if (!page || *bad)
		ktap_diag("%s:%s", rel, page ? bad : " unreadable");
	snprintf(tag, sizeof(tag), "defaults_in_%s", strrchr(rel, '/') + 1);
	ktap_result(page && !*bad, tag);
	free(page);
}

/* The admin guide's options table: the row of each option has its
 * default in the "default" column. */
static void check_guide(void)
{
	char *doc = slurp("Documentation/admin-guide.rst"), bad[1024] = "";
	const char *hdr = doc ? strstr(doc, "\noption ") : NULL;
	size_t col = 0, i;

	if (hdr)
		col = (size_t)(strstr(hdr, " default ") + 1 - hdr);
	for (i = 0; hdr && col && i < rt_nr_option_descs; i++) {
		const struct rt_option_desc *d = &rt_option_descs[i];
		char key[96];
		const char *row;

		if (!d->def)
			continue;
		snprintf(key, sizeof(key), "\n%s ", d->name);
		row = strstr(hdr, key);
		if (!row || strncmp(row + col, d->def, strlen(d->def)))
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %s(want %s)", d->name, d->def);
	}
	if (!hdr || !col || *bad)
		ktap_diag("admin-guide.rst:%s", hdr ? bad : " no options table");
	ktap_result(hdr && col && !*bad, "defaults_in_admin_guide");
	free(doc);
}

/* Each "#NAME VALUE" line of the example shows the default. */
static void check_example(void)
{
	char *ex = slurp("userspace/racetrapd.conf.example"), bad[512] = "";
	size_t i;

	for (i = 0; ex && i < rt_nr_option_descs; i++) {
		const struct rt_option_desc *d = &rt_option_descs[i];
		char key[96];
		const char *line;

		if (!d->def || !(d->where & RT_OPT_CONF))
			continue;
		snprintf(key, sizeof(key), "\n#%s ", d->name);
		line = strstr(ex, key);
		if (!line || strncmp(line + strlen(key), d->def, strlen(d->def)))
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
				 " %s(want %s)", d->name, d->def);
	}
	if (!ex || *bad)
		ktap_diag("racetrapd.conf.example:%s", ex ? bad : " unreadable");
	ktap_result(ex && !*bad, "defaults_in_example_config");
	free(ex);
}

int main(void)
{
	ktap_start(5);
	check_kernel();
	check_man("userspace/man/racetrap.8", RT_OPT_CLI, "\\-\\-");
	check_man("userspace/man/racetrapd.conf.5", RT_OPT_CONF, "");
	check_guide();
	check_example();
	return ktap_finish();
}
