/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared body of the engine fixtures (fix_*.c): small programs whose
 * racing (or race-free) instructions are written in assembly between
 * exported labels, so a test knows each instruction's address, length
 * and operand without a decoder.
 *
 * A fixture prints, on stdout, one line per fact:
 *   site NAME ADDR FILE_OFFSET LEN BASE DISP SIZE ACCESS FLAGS
 *   word ADDR                    the shared word, if any
 *   thread NAME TID              each racing thread once it runs
 *   ready                        everything above is printed
 * and then obeys commands on stdin, one per line:
 *   go      start the threads marked late, print their "thread" lines
 *   exec    exec /bin/sleep 60 (the process keeps its pid)
 *   fork    fork a child that runs the racing threads for 2 s; print
 *           "child PID" then, when it has exited, "child-status STATUS"
 * End of stdin ends the process.  Racing threads loop forever, with the
 * sampled instruction at the loop head: under TCG interrupts arrive at
 * translation-block starts, so a cpu-clock tick lands on it.
 */
#ifndef RACETRAP_FIXTURE_H
#define RACETRAP_FIXTURE_H

#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>

/* The word threads share: its own cache line. */
uint64_t shared_word __attribute__((aligned(64)));

struct fix_site {
	const char *name;
	const char *start, *end;	/* the instruction: [start, end) */
	int base;			/* RACETRAP_REG_* */
	const void *rip_target;		/* for a RIP base: the operand */
	int size, access, flags;
};

struct fix_thread {
	const char *name;
	void *(*fn)(void *);
	bool late;			/* started by the "go" command */
};

struct fixture {
	const struct fix_site *sites;
	const struct fix_thread *threads;
	bool has_word;
};

static sem_t fix_started;
static pid_t fix_tid;

/* File offset of @addr in the mapping that holds it. */
static uint64_t fix_file_offset(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, start, end;
	unsigned long long pgoff;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f) {
		perror("fixture: /proc/self/maps");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %llx", &start,
			   &end, &pgoff) == 3 && a >= start && a < end) {
			fclose(f);
			return a - start + pgoff;
		}
	}
	fprintf(stderr, "fixture: %p not mapped\n", addr);
	exit(1);
}

static void fix_print_sites(const struct fix_site *s)
{
	for (; s->name; s++) {
		long len = s->end - s->start;
		long disp = s->rip_target ?
			(const char *)s->rip_target - s->end : 0;

		printf("site %s %p %" PRIx64 " %ld %d %ld %d %d %d\n", s->name,
		       (const void *)s->start, fix_file_offset(s->start), len,
		       s->base, disp, s->size, s->access, s->flags);
	}
}

struct fix_start {
	void *(*fn)(void *);
};

static void *fix_trampoline(void *arg)
{
	void *(*fn)(void *) = ((struct fix_start *)arg)->fn;

	fix_tid = syscall(SYS_gettid);
	sem_post(&fix_started);
	return fn(NULL);
}

static void fix_start_threads(const struct fix_thread *t, bool late)
{
	static struct fix_start st[8];
	static int nr;
	pthread_t th;

	for (; t->name; t++) {
		if (t->late != late)
			continue;
		st[nr].fn = t->fn;
		if (pthread_create(&th, NULL, fix_trampoline, &st[nr++])) {
			fprintf(stderr, "fixture: pthread_create failed\n");
			exit(1);
		}
		sem_wait(&fix_started);
		printf("thread %s %d\n", t->name, (int)fix_tid);
	}
	fflush(stdout);
}

static void fix_fork(const struct fixture *fx)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fixture: fork");
		exit(1);
	}
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(1);
		fix_start_threads(fx->threads, false);
		fix_start_threads(fx->threads, true);
		sleep(2);
		_exit(0);
	}
	printf("child %d\n", (int)pid);
	fflush(stdout);
	waitpid(pid, &status, 0);
	printf("child-status %d\n", status);
	fflush(stdout);
}

static int fixture_run(const struct fixture *fx)
{
	char cmd[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	sem_init(&fix_started, 0, 0);
	fix_print_sites(fx->sites);
	if (fx->has_word)
		printf("word %p\n", (void *)&shared_word);
	fix_start_threads(fx->threads, false);
	printf("ready\n");
	fflush(stdout);
	while (fgets(cmd, sizeof(cmd), stdin)) {
		if (!strcmp(cmd, "go\n")) {
			fix_start_threads(fx->threads, true);
			printf("started\n");
		} else if (!strcmp(cmd, "exec\n")) {
			execl("/bin/sleep", "sleep", "60", (char *)NULL);
			perror("fixture: exec");
			exit(1);
		} else if (!strcmp(cmd, "fork\n")) {
			fix_fork(fx);
		}
		fflush(stdout);
	}
	return 0;
}

/* An assembly function's start, with a frame-pointer prologue (so stacks walk). */
#define FIX_FN_START(fn)						\
	".text\n"							\
	".globl " #fn "\n"						\
	".type " #fn ", @function\n"					\
	#fn ":\n"							\
	"	push %rbp\n"						\
	"	mov %rsp, %rbp\n"

/*
 * A loop function in assembly: the instruction between labels NAME and
 * NAME_end at the loop head.
 */
#define FIX_LOOP(fn, name, insn)					\
	asm(FIX_FN_START(fn)						\
	    "	xor %eax, %eax\n"					\
	    ".globl " #name "\n"					\
	    #name ":\n"							\
	    "	" insn "\n"						\
	    ".globl " #name "_end\n"					\
	    #name "_end:\n"						\
	    "	add $1, %rax\n"						\
	    "	jmp " #name "\n"					\
	    ".size " #fn ", . - " #fn "\n");				\
	extern const char name[], name##_end[];				\
	void fn(void)

/*
 * fn(value): one instruction, between labels @name and @name_end, that
 * may use @value (%rdi) and leaves its result in %rax.
 */
#define FIX_ONCE(fn, name, insn)					\
	asm(FIX_FN_START(fn)						\
	    ".globl " #name "\n"					\
	    #name ":\n"							\
	    "	" insn "\n"						\
	    ".globl " #name "_end\n"					\
	    #name "_end:\n"						\
	    "	pop %rbp\n"						\
	    "	ret\n"							\
	    ".size " #fn ", . - " #fn "\n");				\
	extern const char name[], name##_end[];				\
	uint64_t fn(uint64_t value)

/*
 * fn(): a function without sites where the time goes, as a Go service's
 * goes to the runtime: it counts down without touching memory, with a
 * frame pointer (as Go's functions have), 128 bytes past the code
 * before it, so no site of that code is within a clock tick's reach.
 */
#define FIX_SPIN(fn)							\
	asm(".p2align 7\n"						\
	    ".skip 128\n"						\
	    FIX_FN_START(fn)						\
	    "	mov $20000, %ecx\n"					\
	    "2:\n"							\
	    "	dec %ecx\n"						\
	    "	jnz 2b\n"						\
	    "	pop %rbp\n"						\
	    "	ret\n"							\
	    ".size " #fn ", . - " #fn "\n")

/* A thread body that runs loop function @loop forever. */
#define FIX_THREAD(fn, loop)						\
	static void *fn(void *arg)					\
	{								\
		loop();							\
		return arg;						\
	}

/*
 * A whole fixture program: threads "a" and "b" each loop over one
 * instruction on shared_word (RIP-relative, 8 bytes); with @late_b, "b"
 * starts only on the "go" command, after the tracer attached.
 */
#define FIX_PAIR(insn_a, access_a, flags_a, insn_b, access_b, flags_b,	\
		 late_b)						\
	FIX_LOOP(loop_a, site_a, insn_a);				\
	FIX_LOOP(loop_b, site_b, insn_b);				\
	static void *thread_a(void *arg)				\
	{								\
		loop_a();						\
		return arg;						\
	}								\
	static void *thread_b(void *arg)				\
	{								\
		loop_b();						\
		return arg;						\
	}								\
	static const struct fix_site sites[] = {			\
		{ "a", site_a, site_a_end, RACETRAP_REG_RIP, &shared_word, \
		  8, access_a, flags_a },				\
		{ "b", site_b, site_b_end, RACETRAP_REG_RIP, &shared_word, \
		  8, access_b, flags_b },				\
		{ NULL },						\
	};								\
	static const struct fix_thread threads[] = {			\
		{ "a", thread_a, false },				\
		{ "b", thread_b, late_b },				\
		{ NULL },						\
	};								\
	int main(void)							\
	{								\
		const struct fixture fx = { sites, threads, true };	\
									\
		return fixture_run(&fx);				\
	}

#endif /* RACETRAP_FIXTURE_H */
