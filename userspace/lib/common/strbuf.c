// SPDX-License-Identifier: GPL-2.0
/* strbuf: a growing string for assembling reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void rt_strbuf_init(struct rt_strbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void rt_strbuf_free(struct rt_strbuf *b)
{
	free(b->s);
	rt_strbuf_init(b);
}

void rt_strbuf_reset(struct rt_strbuf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->s)
		b->s[0] = '\0';
}

static bool reserve(struct rt_strbuf *b, size_t more)
{
	size_t want = b->len + more + 1;
	char *s;

	if (b->oom)
		return false;
	if (want <= b->cap)
		return true;
	if (want < 256)
		want = 256;
	if (want < b->cap * 2)
		want = b->cap * 2;
	s = realloc(b->s, want);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = want;
	return true;
}

void rt_strbuf_add(struct rt_strbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void rt_strbuf_puts(struct rt_strbuf *b, const char *s)
{
	rt_strbuf_add(b, s, strlen(s));
}

void rt_strbuf_printf(struct rt_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *rt_strbuf_str(const struct rt_strbuf *b)
{
	return b->s ? b->s : "";
}

void rt_strip_controls(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}
