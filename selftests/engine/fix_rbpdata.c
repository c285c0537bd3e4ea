// SPDX-License-Identifier: GPL-2.0
/*
 * Racing code that uses %rbp as data, as code built with
 * -fomit-frame-pointer may: three threads race on shared_word (a store,
 * two increments), each with a %rbp a frame-pointer walk must not
 * follow to a frame:
 *  - "a": %rbp = 1, a small number (below any stack pointer);
 *  - "b": %rbp points at the thread's own stack, at two words that read
 *    as a frame {saved rbp 0, return address 0x1};
 *  - "c": %rbp points into the heap, at {a heap address, 0x1}.
 * The loops are assembly so the register really holds that data; each
 * pushes the caller's %rbp first, as a function that borrows it must.
 */
#include "fixture.h"

asm(".text\n"
    ".globl loop_small\n"
    "loop_small:\n"
    "	push %rbp\n"
    "	mov $1, %rbp\n"
    "	xor %eax, %eax\n"
    ".globl site_a\nsite_a:\n"
    "	movq %rax, shared_word(%rip)\n"
    ".globl site_a_end\nsite_a_end:\n"
    "	add $1, %rax\n"
    "	jmp site_a\n"
    ".globl loop_stack\n"
    "loop_stack:\n"
    "	push %rbp\n"
    "	push $1\n"
    "	push $0\n"
    "	mov %rsp, %rbp\n"
    ".globl site_b\nsite_b:\n"
    "	addq $1, shared_word(%rip)\n"
    ".globl site_b_end\nsite_b_end:\n"
    "	jmp site_b\n"
    ".globl loop_heap\n"
    "loop_heap:\n"
    "	push %rbp\n"
    "	mov %rdi, %rbp\n"
    ".globl site_c\nsite_c:\n"
    "	addq $1, shared_word(%rip)\n"
    ".globl site_c_end\nsite_c_end:\n"
    "	jmp site_c\n");

extern const char site_a[], site_a_end[], site_b[], site_b_end[];
extern const char site_c[], site_c_end[];
void loop_small(void);
void loop_stack(void);
void loop_heap(void *fake_frame);

static void *thread_a(void *arg)
{
	loop_small();
	return arg;
}

static void *thread_b(void *arg)
{
	loop_stack();
	return arg;
}

static void *thread_c(void *arg)
{
	uint64_t *frame = malloc(4 * sizeof(*frame));

	if (!frame)
		exit(1);
	frame[0] = (uintptr_t)(frame + 2);	/* "saved rbp": the heap */
	frame[1] = 1;				/* "return address" */
	frame[2] = 0;
	frame[3] = 1;
	loop_heap(frame);
	return arg;
}

int main(void)
{
	static const struct fix_site sites[] = {
		{ "a", site_a, site_a_end, RACETRAP_REG_RIP, &shared_word, 8,
		  RACETRAP_ACCESS_WRITE, 0 },
		{ "b", site_b, site_b_end, RACETRAP_REG_RIP, &shared_word, 8,
		  RACETRAP_ACCESS_RMW, 0 },
		{ "c", site_c, site_c_end, RACETRAP_REG_RIP, &shared_word, 8,
		  RACETRAP_ACCESS_RMW, 0 },
		{ NULL },
	};
	static const struct fix_thread threads[] = {
		{ "a", thread_a, false },
		{ "b", thread_b, false },
		{ "c", thread_c, false },
		{ NULL },
	};
	const struct fixture fx = { sites, threads, true };

	return fixture_run(&fx);
}
