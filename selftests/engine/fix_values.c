// SPDX-License-Identifier: GPL-2.0
/*
 * Known values at every access size and alignment, for test_values.
 *
 * Two pages, A and B, shared (MAP_SHARED) and filled with 0xa5.  Case i
 * is a field at 64 * i + its offset in each page: sizes 1, 2, 4, 8 and
 * 16, each naturally aligned and misaligned.  Every field starts at 1.
 *
 *  - thread "w" stores the counter 1, 3, 5, ... into every field of A,
 *    at the field's width (the 16-byte fields get it in both halves);
 *  - thread "r" loads every field of A, thread "s" every field of B;
 *  - a child process (not a thread of the traced process: never
 *    watched) stores the same kind of counter into B.
 *
 * So a field only ever holds an odd counter, monotonic for 4 bytes and
 * up, and the bytes around it always read 0xa5; A has one writer, w, and
 * B none in the traced process: a change there is an unseen writer.
 * Prints "word ADDR" with A's address (B is the next page), the sites
 * (base RBX, displacement = the field's offset) and the threads.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <signal.h>
#include "fixture.h"

#define CASES(X)							\
	X(0, 1, 0, "movb %al, 0(%rbx)", "movb 0(%rbx), %cl")		\
	X(1, 1, 3, "movb %al, 67(%rbx)", "movb 67(%rbx), %cl")		\
	X(2, 2, 0, "movw %ax, 128(%rbx)", "movw 128(%rbx), %cx")	\
	X(3, 2, 1, "movw %ax, 193(%rbx)", "movw 193(%rbx), %cx")	\
	X(4, 4, 0, "movl %eax, 256(%rbx)", "movl 256(%rbx), %ecx")	\
	X(5, 4, 2, "movl %eax, 322(%rbx)", "movl 322(%rbx), %ecx")	\
	X(6, 8, 0, "movq %rax, 384(%rbx)", "movq 384(%rbx), %rcx")	\
	X(7, 8, 4, "movq %rax, 452(%rbx)", "movq 452(%rbx), %rcx")	\
	X(8, 16, 0, "movdqu %xmm0, 512(%rbx)", "movdqu 512(%rbx), %xmm1") \
	X(9, 16, 8, "movdqu %xmm0, 584(%rbx)", "movdqu 584(%rbx), %xmm1")

#define NR_CASES 10

#define W_INSN(i, size, off, store, load)				\
	".globl vw" #i "\nvw" #i ":\n	" store "\n"			\
	".globl vw" #i "_end\nvw" #i "_end:\n"
#define R_INSN(i, size, off, store, load)				\
	".globl vr" #i "\nvr" #i ":\n	" load "\n"			\
	".globl vr" #i "_end\nvr" #i "_end:\n"

/* val_writer(page): the counter into every field, forever. */
asm(".text\n"
    ".globl val_writer\n"
    ".type val_writer, @function\n"
    "val_writer:\n"
    "	push %rbp\n"
    "	mov %rsp, %rbp\n"
    "	push %rbx\n"
    "	mov %rdi, %rbx\n"
    "	mov $1, %eax\n"
    "	movq %rax, %xmm0\n"
    "	punpcklqdq %xmm0, %xmm0\n"
    "1:\n"
    CASES(W_INSN)
    "	add $2, %rax\n"
    "	movq %rax, %xmm0\n"
    "	punpcklqdq %xmm0, %xmm0\n"
    "	jmp 1b\n"
    ".size val_writer, . - val_writer\n");

/* val_reader(page): load every field, forever. */
asm(".text\n"
    ".globl val_reader\n"
    ".type val_reader, @function\n"
    "val_reader:\n"
    "	push %rbp\n"
    "	mov %rsp, %rbp\n"
    "	push %rbx\n"
    "	mov %rdi, %rbx\n"
    "1:\n"
    CASES(R_INSN)
    "	jmp 1b\n"
    ".size val_reader, . - val_reader\n");

void val_writer(void *page);
void val_reader(void *page);

#define DECL(i, size, off, store, load)					\
	extern const char vw##i[], vw##i##_end[], vr##i[], vr##i##_end[];
CASES(DECL)

static const struct {
	const char *w, *w_end, *r, *r_end;
	int size, disp;
} cases[NR_CASES] = {
#define ROW(i, size, off, store, load)					\
	{ vw##i, vw##i##_end, vr##i, vr##i##_end, size, 64 * (i) + (off) },
	CASES(ROW)
};

static unsigned char *pages;

static void *writer_a(void *arg)
{
	val_writer(pages);
	return arg;
}

static void *reader_a(void *arg)
{
	val_reader(pages);
	return arg;
}

static void *reader_b(void *arg)
{
	val_reader(pages + 4096);
	return arg;
}

static void print_site(const char *name, int i, const char *start,
		       const char *end, int size, int disp, int access)
{
	printf("site %s%d %p %" PRIx64 " %ld %d %d %d %d 0\n", name, i,
	       (const void *)start, fix_file_offset(start),
	       (long)(end - start), RACETRAP_REG_RBX, disp, size, access);
}

int main(void)
{
	static const struct fix_site no_sites[] = { { NULL } };
	static const struct fix_thread threads[] = {
		{ "w", writer_a, false },
		{ "r", reader_a, false },
		{ "s", reader_b, false },
		{ NULL },
	};
	const struct fixture fx = { no_sites, threads, false };
	pid_t child;
	int i, p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pages = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED) {
		perror("fixture: mmap");
		return 1;
	}
	memset(pages, 0xa5, 2 * 4096);
	for (p = 0; p < 2; p++)
		for (i = 0; i < NR_CASES; i++) {
			unsigned char *f = pages + 4096 * p + cases[i].disp;

			memset(f, 0, cases[i].size);
			f[0] = 1;
			if (cases[i].size == 16)
				f[8] = 1;
		}
	child = fork();
	if (child < 0) {
		perror("fixture: fork");
		return 1;
	}
	if (!child) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		val_writer(pages + 4096);
	}
	for (i = 0; i < NR_CASES; i++) {
		print_site("w", i, cases[i].w, cases[i].w_end, cases[i].size,
			   cases[i].disp, RACETRAP_ACCESS_WRITE);
		print_site("r", i, cases[i].r, cases[i].r_end, cases[i].size,
			   cases[i].disp, RACETRAP_ACCESS_READ);
	}
	printf("word %p\n", (void *)pages);
	return fixture_run(&fx);
}
