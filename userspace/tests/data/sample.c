// SPDX-License-Identifier: GPL-2.0
/*
 * Test data for the host unit tests: a small C program with memory
 * accesses at known lines, an inlined function, and threads.  Run with
 * "wait" it prints "ready" and blocks until stdin closes, so a test can
 * read its maps and symbolize its live addresses.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile long sample_counter;
long sample_table[64];

__attribute__((noinline)) void sample_writer(long v)
{
	sample_counter = v;	/* SAMPLE_WRITER_LINE */
}

__attribute__((noinline)) long sample_reader(int i)
{
	return sample_table[i & 63] + sample_counter;
}

static inline __attribute__((always_inline)) void sample_bump(long *p)
{
	*p += 3;	/* SAMPLE_INLINE_LINE */
}

__attribute__((noinline)) void sample_bumper(int i)
{
	sample_bump(&sample_table[i & 63]);	/* SAMPLE_CALL_LINE */
}

/*
 * A future: a plain value, then a flag published with a C11 release
 * store and awaited with an acquire load, plain MOVs all three; only the
 * flag's DWARF type (atomic_int) says its two are atomic.  Included here,
 * not above: the tests name the lines of the functions above.
 */
#include <stdatomic.h>

struct sample_future {
	long val;
	atomic_int ready;
};

struct sample_future sample_future;
atomic_long sample_flag;

__attribute__((noinline)) void sample_fill(struct sample_future *f, long v)
{
	f->val = v;
}

__attribute__((noinline)) void sample_publish(struct sample_future *f)
{
	atomic_store_explicit(&f->ready, 1, memory_order_release);
}

__attribute__((noinline)) int sample_await(struct sample_future *f)
{
	return atomic_load_explicit(&f->ready, memory_order_acquire);
}

/* The same on a global, addressed rip-relative. */
__attribute__((noinline)) void sample_flag_set(long v)
{
	atomic_store_explicit(&sample_flag, v, memory_order_release);
}

__attribute__((noinline)) long sample_flag_get(void)
{
	return atomic_load_explicit(&sample_flag, memory_order_acquire);
}

/*
 * Read-only data (.rodata), read rip-relative: nothing can race on it.
 * Read through a volatile lvalue: a const volatile object would be put
 * in .data.
 */
const long sample_limit = 42;

__attribute__((noinline)) long sample_limit_get(void)
{
	return *(const volatile long *)&sample_limit;
}

/* A structure copy: gcc -O2 stores it with one SSE move. */
struct sample_pair {
	long a, b;
};

struct sample_pair sample_pairs[2];

__attribute__((noinline)) void sample_copy(void)
{
	sample_pairs[1] = sample_pairs[0];
}

static void *thread_main(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++) {
		sample_writer(i);
		sample_bumper((int)i);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	char buf[16];

	pthread_create(&t, NULL, thread_main, (void *)1000L);
	pthread_join(t, NULL);
	sample_fill(&sample_future, 5);
	sample_publish(&sample_future);
	sample_flag_set(7);
	sample_copy();
	printf("%ld %d %ld %ld\n", sample_reader(3),
	       sample_await(&sample_future), sample_flag_get(),
	       sample_limit_get());
	if (argc > 1 && !strcmp(argv[1], "wait")) {
		printf("ready\n");
		fflush(stdout);
		while (read(0, buf, sizeof(buf)) > 0)
			;
	}
	return 0;
}

/* Far past the file's last page: .bss in anonymous memory. */
long sample_bss[8192];
