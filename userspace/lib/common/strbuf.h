/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growing NUL-terminated string: reports are assembled piecewise and
 * handed out whole, so one logical report is one syslog message.
 */
#ifndef RT_STRBUF_H
#define RT_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_strbuf {
	char *s;		/* always NUL-terminated once anything is added */
	size_t len, cap;
	bool oom;		/* an allocation failed: content is truncated */
};

void rt_strbuf_init(struct rt_strbuf *b);
void rt_strbuf_free(struct rt_strbuf *b);
void rt_strbuf_reset(struct rt_strbuf *b);
void rt_strbuf_add(struct rt_strbuf *b, const char *s, size_t n);
void rt_strbuf_puts(struct rt_strbuf *b, const char *s);
__attribute__((format(printf, 2, 3)))
void rt_strbuf_printf(struct rt_strbuf *b, const char *fmt, ...);
/* The content, "" when empty; valid until the next change. */
const char *rt_strbuf_str(const struct rt_strbuf *b);

/*
 * Replace C0 control characters and DEL in @s by '?'.  For strings a
 * target chooses (comm, paths, DWARF names) before they reach a text
 * report, a log line or the line-based status file: a '\n' there would
 * forge lines, an escape would drive the reader's terminal.  JSON
 * escapes on its own.
 */
void rt_strip_controls(char *s);

/* @one when @n is 1, else @many: "1 race", "2 races", "0 races". */
static inline const char *rt_plural(uint64_t n, const char *one,
				    const char *many)
{
	return n == 1 ? one : many;
}

#endif /* RT_STRBUF_H */
