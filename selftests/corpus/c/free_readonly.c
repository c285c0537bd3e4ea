// SPDX-License-Identifier: GPL-2.0
/*
 * Category: control: read-only sharing.
 * Label: race-free.  main fills `crc_table` before starting the threads;
 * after that both only read it (and write their own stack locals).
 *
 *   free_readonly [SECONDS]
 */
#include <stdint.h>

#include "corpus.h"

static uint32_t crc_table[256];

static void *checksummer(void *arg)
{
	uint32_t crc = (uint32_t)(uintptr_t)arg;

	do {
		for (int n = 0; n < 4096; n++)
			crc = PLAIN_LOAD(crc_table[(crc ^ n) & 0xff]) ^ (crc >> 8);
	} while (!corpus_expired());
	return (void *)(uintptr_t)crc;
}

int main(int argc, char **argv)
{
	pthread_t a, b;
	void *ra, *rb;

	corpus_start(argc, argv);
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	a = corpus_spawn(checksummer, (void *)1);
	b = corpus_spawn(checksummer, (void *)2);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	printf("free_readonly: %lx %lx\n", (unsigned long)(uintptr_t)ra,
	       (unsigned long)(uintptr_t)rb);
	return 0;
}
