/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Suppressions in ThreadSanitizer's file syntax, one per line:
 *
 *   race:PATTERN            any frame of either stack: function, file or module
 *   race_top:PATTERN        the top frame of either stack only
 *   called_from_lib:LIB     any frame of either stack in module LIB
 *   # comment
 *
 * PATTERN matches anywhere in the name unless anchored with ^ (start)
 * or $ (end); * matches any run of characters.  TSan's other kinds
 * (thread:, mutex:, signal:, deadlock:) are accepted and ignored so an
 * existing TSan file loads; anything else is an error naming file:line.
 */
#ifndef RT_SUPPRESS_H
#define RT_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "symbolize.h"

struct rt_suppressions;

/*
 * Parse @text; @name is the file name used in messages.  Returns NULL
 * with "NAME:LINE: problem" in @err on the first error (nothing is kept).
 */
struct rt_suppressions *rt_supp_parse(const char *text, const char *name,
				      char *err, size_t errlen);

/* Read and parse the file at @path. */
struct rt_suppressions *rt_supp_load(const char *path, char *err,
				     size_t errlen);

/*
 * The first rule ("race:foo") that suppresses a report with these
 * stacks (@b may be NULL), or NULL.  Counts the rule's use.
 */
const char *rt_supp_match(struct rt_suppressions *s, const struct rt_frames *a,
			  const struct rt_frames *b);

/* True if @pattern (TSan template syntax) matches @str. */
bool rt_supp_template_match(const char *pattern, const char *str);

size_t rt_supp_count(const struct rt_suppressions *s);
void rt_supp_free(struct rt_suppressions *s);

#endif /* RT_SUPPRESS_H */
