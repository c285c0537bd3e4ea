/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough JSON output for JSON Lines reports: strings escaped per
 * RFC 8259 (control characters as \u00XX, invalid UTF-8 bytes replaced
 * by U+FFFD so every line stays valid JSON).
 */
#ifndef RT_JSON_H
#define RT_JSON_H

#include "strbuf.h"

/* Append @s as a quoted JSON string; NULL is written as null. */
void rt_json_str(struct rt_strbuf *b, const char *s);

/* Append "key": (with a leading comma unless @first). */
void rt_json_key(struct rt_strbuf *b, const char *key, bool first);

#endif /* RT_JSON_H */
