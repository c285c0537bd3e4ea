// SPDX-License-Identifier: GPL-2.0
/*
 * Debug registers are shared with debuggers, and the debugger wins: with
 * all four of one thread's debug registers taken through ptrace, every
 * sample that would need one there is skipped (SKIP_NOSPC), and after
 * racetrap detaches the debugger's registers read back unchanged.  And
 * the other way round: once racetrap has run windows and detached, a
 * debugger must find all four free (a breakpoint that outlived teardown
 * would hold one).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include "engine.h"

#define DR_OFF(i)	offsetof(struct user, u_debugreg[i])

/* DR7: L0..L3 enabled, each a write watchpoint of 8 bytes. */
static unsigned long dr7_all(void)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (1UL << (2 * i)) | (1UL << (16 + 4 * i)) |
		     (2UL << (18 + 4 * i));
	return v;
}

static bool stop_thread(pid_t tid)
{
	int status;

	return !ptrace(PTRACE_INTERRUPT, tid, 0, 0) &&
	       waitpid(tid, &status, __WALL) == tid;
}

/* Seize @tid and take its four debug registers on @base + 8 * i. */
static bool take_all(pid_t tid, unsigned long base)
{
	int i;

	if (ptrace(PTRACE_SEIZE, tid, 0, 0) || !stop_thread(tid))
		return false;
	for (i = 0; i < 4; i++)
		if (ptrace(PTRACE_POKEUSER, tid, DR_OFF(i), base + 8 * i))
			return false;
	if (ptrace(PTRACE_POKEUSER, tid, DR_OFF(7), dr7_all()))
		return false;
	return !ptrace(PTRACE_CONT, tid, 0, 0);
}

static bool still_ours(pid_t tid, unsigned long base)
{
	bool ok = stop_thread(tid);
	int i;

	for (i = 0; ok && i < 4; i++) {
		errno = 0;
		if ((unsigned long)ptrace(PTRACE_PEEKUSER, tid, DR_OFF(i), 0) !=
		    base + 8 * i || errno)
			ok = false;
	}
	errno = 0;
	if (ok && ((unsigned long)ptrace(PTRACE_PEEKUSER, tid, DR_OFF(7), 0) &
		   0xffffffffUL) != dr7_all())
		ok = false;
	ptrace(PTRACE_DETACH, tid, 0, 0);
	return ok;
}

/* Windows ran in every thread of a fresh fixture; after detach, DRs free. */
static void released_on_detach(struct racetrap_config *c)
{
	unsigned long base;
	uint64_t watches;
	struct fx f;
	pid_t tid;
	int fd;

	if (!fx_start(&f, "racy")) {
		ktap_skip("windows_ran", "no fixture");
		ktap_skip("debugger_takes_all_four_after_detach", "no fixture");
		return;
	}
	tid = fx_tid(&f, "b");
	base = f.word + 8;
	fd = rt_attach_fx(&f);
	if (fd < 0 || rt_config_set(fd, c))
		ktap_diag("attach/config: %s", strerror(errno));
	rt_collect(fd, 2, NULL, NULL, NULL);
	watches = rt_stat(fd, RACETRAP_STAT_WATCHES);
	EXPECT_TRUE(watches > 0, "windows_ran", "no window opened");
	close(fd);
	EXPECT_TRUE(take_all(tid, base) && still_ours(tid, base),
		    "debugger_takes_all_four_after_detach",
		    "ptrace: %s", strerror(errno));
	fx_stop(&f);
}

int main(void)
{
	struct racetrap_config c = {
		.triggers = RACETRAP_TRIGGER_CLOCK,
		.budget_ppm = 1000000,
	};
	unsigned long base;
	uint64_t nospc;
	struct fx f;
	pid_t tid;
	int fd;

	ktap_start(5);
	if (!fx_start(&f, "racy"))
		return 1;
	tid = fx_tid(&f, "b");
	/* Four unused words just past the shared one, in its cache line. */
	base = f.word + 8;
	if (!EXPECT_TRUE(take_all(tid, base), "debugger_takes_all_four",
			 "ptrace: %s", strerror(errno))) {
		fx_stop(&f);
		return ktap_finish();
	}
	fd = rt_attach_fx(&f);
	if (fd < 0 || rt_config_set(fd, &c))
		ktap_diag("attach/config: %s", strerror(errno));
	rt_collect(fd, 3, NULL, NULL, NULL);
	rt_dump_stats(fd);
	nospc = rt_stat(fd, RACETRAP_STAT_SKIP_NOSPC);
	EXPECT_TRUE(nospc > 0, "samples_skip_on_enospc",
		    "no sample met the taken registers");
	close(fd);
	EXPECT_TRUE(still_ours(tid, base), "debugger_registers_intact",
		    "the debugger's DR0-DR3/DR7 changed");
	fx_stop(&f);
	released_on_detach(&c);
	return ktap_finish();
}
