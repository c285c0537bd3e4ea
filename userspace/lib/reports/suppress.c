// SPDX-License-Identifier: GPL-2.0
/* suppress: ThreadSanitizer-syntax suppression rules and their matching. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "suppress.h"

enum kind { RACE, RACE_TOP, CALLED_FROM_LIB };

struct rule {
	enum kind kind;
	char *pattern;
	char *text;		/* the rule as written, for messages */
	unsigned long hits;
};

struct rt_suppressions {
	struct rule *v;
	size_t n;
};

/* '*' globbing over a whole string (anchors already resolved). */
static bool glob(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p && *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

bool rt_supp_template_match(const char *pattern, const char *str)
{
	size_t len = strlen(pattern);
	bool start = pattern[0] == '^';
	bool end = len > (size_t)start && pattern[len - 1] == '$';
	char *p;
	bool ok;

	if (!str)
		return false;
	p = malloc(len + 3);
	if (!p)
		return false;
	/* Unanchored sides match anywhere: wrap them in '*'. */
	snprintf(p, len + 3, "%s%.*s%s", start ? "" : "*",
		 (int)(len - start - end), pattern + start, end ? "" : "*");
	ok = glob(p, str);
	free(p);
	return ok;
}

void rt_supp_free(struct rt_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].pattern);
		free(s->v[i].text);
	}
	free(s->v);
	free(s);
}

size_t rt_supp_count(const struct rt_suppressions *s)
{
	return s ? s->n : 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int add_rule(struct rt_suppressions *s, enum kind k, const char *pat,
		    const char *text)
{
	struct rule *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	v[s->n].kind = k;
	v[s->n].hits = 0;
	v[s->n].pattern = strdup(pat);
	v[s->n].text = strdup(text);
	if (!v[s->n].pattern || !v[s->n].text) {
		free(v[s->n].pattern);
		free(v[s->n].text);
		return -ENOMEM;
	}
	s->n++;
	return 0;
}

static const char *const ignored_kinds[] = {
	"thread", "mutex", "signal", "deadlock",
};

struct rt_suppressions *rt_supp_parse(const char *text, const char *name,
				      char *err, size_t errlen)
{
	struct rt_suppressions *s = calloc(1, sizeof(*s));
	char *copy = strdup(text), *line, *save = NULL;
	int lineno = 0;
	const char *p;

	if (!s || !copy)
		goto oom;
	/* strtok_r would skip empty lines and miscount: split by hand. */
	for (line = copy; line; line = save) {
		char *colon, *kind, *pat, *nl = strchr(line, '\n');
		enum kind k;
		bool ignored = false;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (!colon) {
			snprintf(err, errlen,
				 "%s:%d: expected KIND:PATTERN, got \"%s\"",
				 name, lineno, line);
			goto fail;
		}
		*colon = '\0';
		kind = trim(line);
		pat = trim(colon + 1);
		if (!strcmp(kind, "race"))
			k = RACE;
		else if (!strcmp(kind, "race_top"))
			k = RACE_TOP;
		else if (!strcmp(kind, "called_from_lib"))
			k = CALLED_FROM_LIB;
		else {
			for (size_t i = 0; i < sizeof(ignored_kinds) /
					       sizeof(ignored_kinds[0]); i++)
				if (!strcmp(kind, ignored_kinds[i]))
					ignored = true;
			if (ignored)
				continue;
			snprintf(err, errlen,
				 "%s:%d: unknown suppression kind \"%s\" "
				 "(expected race, race_top or called_from_lib)",
				 name, lineno, kind);
			goto fail;
		}
		if (!*pat || !strcmp(pat, "^") || !strcmp(pat, "$") ||
		    !strcmp(pat, "^$")) {
			snprintf(err, errlen, "%s:%d: empty pattern after \"%s:\"",
				 name, lineno, kind);
			goto fail;
		}
		for (p = pat; *p; p++)
			if ((*p == '^' && p != pat) || (*p == '$' && p[1])) {
				snprintf(err, errlen,
					 "%s:%d: '%c' is only allowed at the %s of a pattern",
					 name, lineno, *p, *p == '^' ? "start" : "end");
				goto fail;
			}
		{
			char full[4200];

			snprintf(full, sizeof(full), "%s:%s", kind, pat);
			if (add_rule(s, k, pat, full))
				goto oom;
		}
	}
	free(copy);
	return s;
oom:
	snprintf(err, errlen, "%s: out of memory", name);
fail:
	free(copy);
	rt_supp_free(s);
	return NULL;
}

struct rt_suppressions *rt_supp_load(const char *path, char *err,
				     size_t errlen)
{
	FILE *f = fopen(path, "re");
	struct rt_suppressions *s;
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	bool bad_read;
	FILE *mem;

	if (!f) {
		snprintf(err, errlen, "cannot open suppressions file %s: %s",
			 path, strerror(errno));
		return NULL;
	}
	/* A directory opens, and reads as an error: no rules, said nowhere. */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		snprintf(err, errlen,
			 "suppressions file %s is not a regular file", path);
		return NULL;
	}
	mem = open_memstream(&buf, &len);
	if (!mem) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (int c; (c = getc(f)) != EOF;)
		putc(c, mem);
	bad_read = ferror(f);
	fclose(f);
	if (fclose(mem) || bad_read) {
		snprintf(err, errlen, "cannot read suppressions file %s%s",
			 path, bad_read ? "" : ": out of memory");
		free(buf);
		return NULL;
	}
	s = rt_supp_parse(buf, path, err, errlen);
	free(buf);
	return s;
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

static bool frame_matches(const struct rule *r, const struct rt_frame *f)
{
	if (r->kind == CALLED_FROM_LIB)
		return f->module &&
		       (rt_supp_template_match(r->pattern, base_name(f->module)) ||
			rt_supp_template_match(r->pattern, f->module));
	return rt_supp_template_match(r->pattern, f->function) ||
	       rt_supp_template_match(r->pattern, f->file) ||
	       rt_supp_template_match(r->pattern, f->module);
}

static bool stack_matches(const struct rule *r, const struct rt_frames *st)
{
	size_t n;

	if (!st)
		return false;
	n = r->kind == RACE_TOP ? (st->n ? 1 : 0) : st->n;
	for (size_t i = 0; i < n; i++)
		if (frame_matches(r, &st->v[i]))
			return true;
	return false;
}

const char *rt_supp_match(struct rt_suppressions *s, const struct rt_frames *a,
			  const struct rt_frames *b)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (stack_matches(&s->v[i], a) || stack_matches(&s->v[i], b)) {
			s->v[i].hits++;
			return s->v[i].text;
		}
	return NULL;
}
