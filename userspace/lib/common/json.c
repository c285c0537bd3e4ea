// SPDX-License-Identifier: GPL-2.0
/* json: string escaping for JSON Lines reports. */
#include <stdio.h>
#include <string.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at @s, or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void rt_json_str(struct rt_strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		rt_strbuf_puts(b, "null");
		return;
	}
	rt_strbuf_add(b, "\"", 1);
	while (*p) {
		size_t n;

		switch (*p) {
		case '"': rt_strbuf_puts(b, "\\\""); p++; continue;
		case '\\': rt_strbuf_puts(b, "\\\\"); p++; continue;
		case '\n': rt_strbuf_puts(b, "\\n"); p++; continue;
		case '\r': rt_strbuf_puts(b, "\\r"); p++; continue;
		case '\t': rt_strbuf_puts(b, "\\t"); p++; continue;
		default: break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			rt_strbuf_printf(b, "\\u%04x", *p);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (!n) {
			rt_strbuf_puts(b, "\\ufffd");
			p++;
			continue;
		}
		rt_strbuf_add(b, (const char *)p, n);
		p += n;
	}
	rt_strbuf_add(b, "\"", 1);
}

void rt_json_key(struct rt_strbuf *b, const char *key, bool first)
{
	if (!first)
		rt_strbuf_add(b, ",", 1);
	rt_json_str(b, key);
	rt_strbuf_add(b, ":", 1);
}
