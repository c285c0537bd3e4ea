// SPDX-License-Identifier: GPL-2.0
/*
 * Every way an attachment ends, each on its own: DETACH, close, target
 * exit, target exec, target fork (the child is never touched), SIGKILL
 * while a thread is stalled, the client killed, and rmmod.  After each:
 * no thread of the target stays stalled, its text at every site is the
 * file's (racetrap writes no code, and must not start to), a new tracer
 * can attach, and (checked by the VM runner) the kernel log stays clean.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include "engine.h"

/* Long windows back to back, so "a thread is stalled" is easy to catch. */
static int stall_config(int fd, uint32_t triggers)
{
	struct racetrap_config c = {
		.triggers = triggers,
		.window_us = 100000,
		.site_rotate_ms = 100,
		.budget_ppm = 1000000,
	};

	return rt_config_set(fd, &c);
}

/* Default windows, but sampling never pauses for the budget. */
static int budget_unlimited(int fd, uint32_t triggers)
{
	struct racetrap_config c = {
		.triggers = triggers,
		.budget_ppm = 1000000,
	};

	return rt_config_set(fd, &c);
}

/*
 * An attached tracer on @f with a thread of @f stalled right now.  Callers
 * use the read-only fixture: a read sampled arms write watchpoints that
 * nothing there trips, so each window lasts its full 100 ms.  On the racy
 * fixture the first trap ends a window within microseconds, and a poll of
 * the thread states can miss every one of them.
 */
static int attach_stalled(struct fx *f, uint32_t triggers)
{
	int fd = rt_attach_fx(f);

	if (fd < 0)
		return -1;
	if (stall_config(fd, triggers)) {
		ktap_diag("config: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!wait_thread_in(f->pid, 'D', 10)) {
		ktap_diag("no thread of %d was ever stalled", (int)f->pid);
		rt_dump_stats(fd);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The first byte of every site in memory equals the file's: nothing, an
 * int3 least of all, was left in the text.
 */
static bool text_clean(const struct fx *f)
{
	char path[64];
	int mem, exe, i;
	bool ok = true;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)f->pid);
	mem = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)f->pid);
	exe = open(path, O_RDONLY);
	for (i = 0; i < f->nr_sites && mem >= 0 && exe >= 0; i++) {
		unsigned char m = 0, e = 1;

		if (pread(mem, &m, 1, f->sites[i].addr) != 1 ||
		    pread(exe, &e, 1, f->sites[i].off) != 1 || m != e) {
			ktap_diag("site %s: memory %#x, file %#x",
				  f->sites[i].name, m, e);
			ok = false;
		}
	}
	if (mem < 0 || exe < 0)
		ok = false;
	if (mem >= 0)
		close(mem);
	if (exe >= 0)
		close(exe);
	return ok;
}

/* Nothing left: no stall, text untouched, and a new tracer may attach. */
static bool released(struct fx *f)
{
	bool calm = never_in(f->pid, 'D', 0.5);
	bool clean = text_clean(f);
	int fd = rt_open();
	bool again = fd >= 0 && rt_attach(fd, f->pid) == 0;

	if (!calm)
		ktap_diag("a thread is still stalled");
	if (!again)
		ktap_diag("new attach: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return calm && clean && again;
}

struct end_seen {
	int reason;
	bool eof;
};

static bool on_end(const struct racetrap_record *rec, void *arg)
{
	struct end_seen *e = arg;

	if (rec->type == RACETRAP_REC_END)
		e->reason = rec->end_reason;
	return false;
}

/* Read to EOF (at most @secs); returns the END reason seen, or -1. */
static int drain(int fd, double secs, bool *eof)
{
	struct end_seen e = { -1, false };

	rt_collect(fd, secs, on_end, &e, eof);
	return e.reason;
}

static void test_detach(void)
{
	struct fx f;
	bool eof;
	double t0;
	int fd, reason;

	if (!fx_start(&f, "readonly") || (fd = attach_stalled(&f, RACETRAP_TRIGGER_SITE)) < 0) {
		ktap_result(false, "teardown_detach");
		fx_stop(&f);
		return;
	}
	t0 = now_s();
	if (rt_detach(fd))
		ktap_diag("detach: %s", strerror(errno));
	ktap_diag("detach took %.3f s", now_s() - t0);
	reason = drain(fd, 5, &eof);
	EXPECT_TRUE(reason == RACETRAP_END_DETACH && eof && released(&f),
		    "teardown_detach", "end reason %d eof %d", reason, eof);
	close(fd);
	fx_stop(&f);
}

static void test_close(void)
{
	struct fx f;
	int fd;

	if (!fx_start(&f, "readonly") || (fd = attach_stalled(&f, RACETRAP_TRIGGER_SITE)) < 0) {
		ktap_result(false, "teardown_close");
		fx_stop(&f);
		return;
	}
	close(fd);
	EXPECT_TRUE(released(&f), "teardown_close", "not released");
	fx_stop(&f);
}

static void test_exit(void)
{
	struct fx f;
	bool eof;
	int fd, reason;

	if (!fx_start(&f, "racy") || (fd = rt_attach_fx(&f)) < 0) {
		ktap_result(false, "teardown_exit");
		fx_stop(&f);
		return;
	}
	close(f.to);
	f.to = -1;
	reason = drain(fd, 5, &eof);
	EXPECT_TRUE(reason == RACETRAP_END_EXIT && eof, "teardown_exit",
		    "end reason %d eof %d", reason, eof);
	close(fd);
	fx_stop(&f);
}

static void test_exec(void)
{
	struct fx f;
	bool eof;
	int fd, reason;

	if (!fx_start(&f, "racy") || (fd = rt_attach_fx(&f)) < 0) {
		ktap_result(false, "teardown_exec");
		fx_stop(&f);
		return;
	}
	usleep(300000);
	fx_cmd(&f, "exec\n");
	reason = drain(fd, 5, &eof);
	EXPECT_TRUE(reason == RACETRAP_END_EXEC && eof &&
		    wait_exit(f.pid, 0.2) == -1, "teardown_exec",
		    "end reason %d eof %d", reason, eof);
	close(fd);
	kill(f.pid, SIGKILL);
	fx_stop(&f);
}

struct fork_seen {
	const struct fx *f;
	int foreign, hits;
};

static bool on_fork_rec(const struct racetrap_record *rec, void *arg)
{
	struct fork_seen *s = arg;
	const struct fx *f = s->f;
	uint32_t ok[3] = { (uint32_t)f->pid, (uint32_t)fx_tid(f, "a"),
			   (uint32_t)fx_tid(f, "b") };

	if (rec->type != RACETRAP_REC_HIT)
		return false;
	s->hits++;
	if (rec->pid != ok[0] ||
	    (rec->sampled.tid != ok[1] && rec->sampled.tid != ok[2]) ||
	    (rec->trapped.tid != ok[1] && rec->trapped.tid != ok[2]))
		s->foreign++;
	return false;
}

static void test_fork(void)
{
	struct fork_seen s = { NULL, 0, 0 };
	struct fx f;
	int fd;

	if (!fx_start(&f, "racy") || (fd = rt_attach_fx(&f)) < 0) {
		ktap_result(false, "teardown_fork");
		fx_stop(&f);
		return;
	}
	s.f = &f;
	f.child_status = -1;
	/*
	 * The parent must go on producing hits while its child races: an
	 * unlimited budget so sampling never pauses on a slow emulated CPU,
	 * and clock sampling alone: its ticks sample whatever code runs, so
	 * hits do not wait for the site trigger to find the live sites.
	 */
	if (budget_unlimited(fd, RACETRAP_TRIGGER_CLOCK))
		ktap_diag("config: %s", strerror(errno));
	fx_cmd(&f, "fork\n");
	/* The child races for 2 s and must exit by itself, untouched. */
	if (!fx_read_until(&f, "child-status"))
		ktap_diag("no child status");
	rt_collect(fd, 1, on_fork_rec, &s, NULL);
	ktap_diag("child %d status %d, %d hits, %d foreign", (int)f.child,
		  f.child_status, s.hits, s.foreign);
	EXPECT_TRUE(f.child_status == 0 && s.foreign == 0 && s.hits > 0,
		    "teardown_fork", "child status %d, foreign records %d",
		    f.child_status, s.foreign);
	close(fd);
	fx_stop(&f);
}

static void test_sigkill_stalled(void)
{
	struct fx f;
	bool eof;
	int fd, reason, status;
	double t0;

	if (!fx_start(&f, "readonly") || (fd = attach_stalled(&f, __RACETRAP_TRIGGER_ALL)) < 0) {
		ktap_result(false, "teardown_sigkill_stalled");
		fx_stop(&f);
		return;
	}
	t0 = now_s();
	kill(f.pid, SIGKILL);
	status = wait_exit(f.pid, 2);
	ktap_diag("killed target exited after %.3f s", now_s() - t0);
	reason = drain(fd, 5, &eof);
	EXPECT_TRUE(status != -1 && WIFSIGNALED(status) &&
		    reason == RACETRAP_END_EXIT && eof, "teardown_sigkill_stalled",
		    "status %#x end reason %d eof %d", status, reason, eof);
	close(fd);
	fx_stop(&f);
}

static void test_client_killed(void)
{
	struct fx f;
	int p[2], fd;
	pid_t client;
	char c;
	bool ok;

	if (!fx_start(&f, "racy") || pipe(p)) {
		ktap_result(false, "teardown_client_killed");
		return;
	}
	client = fork();
	if (!client) {
		fd = rt_attach_fx(&f);
		if (fd < 0 || stall_config(fd, __RACETRAP_TRIGGER_ALL))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ok = read(p[0], &c, 1) == 1 && wait_thread_in(f.pid, 'D', 10);
	close(p[0]);
	kill(client, SIGKILL);
	waitpid(client, NULL, 0);
	EXPECT_TRUE(ok && released(&f), "teardown_client_killed",
		    "client attached %d", ok);
	fx_stop(&f);
}

/*
 * The parameters the rig loaded the module with (tools/vm/init keeps them
 * in /lib/racetrap/params), so that it is loaded again the same way for
 * the tests after this one; "" if there is no such file.
 */
static void loaded_params(char *buf, size_t len)
{
	FILE *f = fopen("/lib/racetrap/params", "re");

	buf[0] = '\0';
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static void test_rmmod(void)
{
	const char *ko = "/lib/racetrap/racetrap.ko";
	int fd, mod, ret = -1;
	char params[256];
	double end;
	struct fx f;

	if (access(ko, R_OK)) {
		ktap_skip("teardown_rmmod", "no /lib/racetrap/racetrap.ko");
		return;
	}
	if (!fx_start(&f, "racy") || (fd = rt_attach_fx(&f)) < 0) {
		ktap_result(false, "teardown_rmmod");
		return;
	}
	loaded_params(params, sizeof(params));
	/* The open file holds a module reference: O_NONBLOCK says EWOULDBLOCK. */
	EXPECT_ERRNO(EWOULDBLOCK,
		     syscall(SYS_delete_module, "racetrap", O_NONBLOCK),
		     "rmmod_attached_refused");
	close(fd);
	/* release() ran at close: the module is free to go. */
	EXPECT_OK(syscall(SYS_delete_module, "racetrap", O_NONBLOCK),
		  "rmmod_after_close");
	mod = open(ko, O_RDONLY | O_CLOEXEC);
	EXPECT_OK(syscall(SYS_finit_module, mod, params, 0), "insmod_again");
	close(mod);
	end = now_s() + 3;
	while (now_s() < end && (fd = rt_open()) < 0)
		usleep(10000);
	if (fd >= 0) {
		ret = rt_attach(fd, f.pid);
		close(fd);
	}
	EXPECT_TRUE(ret == 0 && text_clean(&f), "teardown_rmmod",
		    "attach after reload: %s", strerror(errno));
	fx_stop(&f);
}

int main(void)
{
	ktap_start(11);
	test_detach();
	test_close();
	test_exit();
	test_exec();
	test_fork();
	test_sigkill_stalled();
	test_client_killed();
	test_rmmod();
	return ktap_finish();
}
