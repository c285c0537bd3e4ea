/* SPDX-License-Identifier: GPL-2.0 */
/* grow: room for one more element in a realloc()ed array. */
#ifndef RT_GROW_H
#define RT_GROW_H

#include <stdlib.h>

/*
 * Make room for element @n of the array at *@v of *@cap elements of
 * @size bytes, doubling it (from 16); 0, or -1 with the array unchanged.
 */
static inline int rt_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*v, c * size);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

#endif /* RT_GROW_H */
