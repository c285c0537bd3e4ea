// SPDX-License-Identifier: GPL-2.0
/*
 * A structure-aware fuzzer for the /dev/racetrap ABI.  Several threads
 * share a few device files and issue random calls: every ioctl with sizes
 * around each boundary, random flags and fields, valid and bogus
 * descriptors and pids, site tables valid and not, reads and polls, the
 * files closed and reopened under the other threads' feet; meanwhile the
 * targets (this program in "target" mode: threads touching shared words)
 * are killed, exec themselves and are started again.
 *
 * What must hold: every call returns success or an errno the ABI names;
 * the kernel log stays clean (the rig fails the run on any BUG, WARNING,
 * KASAN or lockdep report); when the storm is over no target thread is
 * left stalled, and the device still attaches, samples and detaches.
 *
 *   test_fuzz [SECONDS [CALLS [SEED]]]   (default 20 s, no call limit)
 *   test_fuzz target                     (a target, until killed)
 *
 * The seed is printed: a failure reproduces with the same seed (the
 * threads interleave differently, the calls each makes do not).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "attach.h"
#include "ktap.h"

#define NR_THREADS	4
#define NR_DEVS		3
#define NR_TARGETS	3
#define PLAN		4

static char self_exe[PATH_MAX];
static int devs[NR_DEVS];	/* always a device file: see op_small() */
static _Atomic pid_t targets[NR_TARGETS];
static atomic_long calls, bad_errno, attached, tables;
static atomic_bool stop;
static long max_calls;
static void *unmapped;
static pthread_mutex_t targets_lock = PTHREAD_MUTEX_INITIALIZER;

/* Errnos the ABI documents for some command or read(). */
static bool documented(int e)
{
	switch (e) {
	case EINVAL: case EOPNOTSUPP: case E2BIG: case EFAULT: case EBADF:
	case ESRCH: case EPERM: case EACCES: case EALREADY: case ENOENT:
	case EBUSY: case ENOSPC: case ENOMEM: case ENOTTY: case EAGAIN:
		return true;
	}
	return false;
}

/* Count the call; @ret < 0 must come with a documented errno. */
static long checked(long ret, const char *what)
{
	int e = errno;

	atomic_fetch_add(&calls, 1);
	if (ret < 0 && !documented(e) &&
	    atomic_fetch_add(&bad_errno, 1) < 10)
		ktap_diag("%s: undocumented errno %d (%s)", what, e,
			  strerror(e));
	return ret;
}

/* A target: threads load and store shared words until killed. */
static volatile long words[8];

/*
 * What the targets run between their accesses, and where every site
 * table of the fuzzer points: one-byte instructions only (push/pop, a
 * stack access each, then ret), so any offset in it is an instruction
 * boundary, where a site breakpoint fires and the fuzzed site is
 * sampled; one in the middle of an instruction would never fire.  (When
 * sites were uprobes, a probe there made the target run garbage, and
 * under QEMU TCG a garbage `lret` on a bad stack oopsed the guest:
 * check-debug, 2026-12-03.)
 */
asm(".text\n"
    ".globl fuzz_sled\n"
    ".type fuzz_sled, @function\n"
    "fuzz_sled:\n"
    "	.rept 1024\n"
    "	push %rax\n"
    "	pop %rax\n"
    "	.endr\n"
    "	ret\n"
    ".globl fuzz_sled_end\n"
    "fuzz_sled_end:\n"
    ".size fuzz_sled, . - fuzz_sled\n");
void fuzz_sled(void);
extern const char fuzz_sled_end[];
static uint64_t sled_off, sled_len;

/* File offset of the sled in this executable, from /proc/self/maps. */
static void find_sled(void)
{
	uintptr_t a = (uintptr_t)fuzz_sled, start, end;
	unsigned long long pgoff;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %llx", &start,
			   &end, &pgoff) == 3 && a >= start && a < end) {
			sled_off = a - start + pgoff;
			sled_len = (uintptr_t)fuzz_sled_end - a;
			break;
		}
	if (f)
		fclose(f);
}

/* SIGUSR1: the target runs exec (of itself), as a service may. */
static void exec_self(int sig)
{
	(void)sig;
	execl(self_exe, self_exe, "target", (char *)NULL);
}

static void *target_thread(void *arg)
{
	long i = (long)arg;

	for (;;) {
		fuzz_sled();
		words[(i + words[i & 7]) & 7] += i;
	}
	return NULL;
}

static int target_main(void)
{
	pthread_t th;
	long i;

	if (readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1) < 0)
		return 1;
	signal(SIGUSR1, exec_self);
	for (i = 0; i < 3; i++)
		pthread_create(&th, NULL, target_thread, (void *)i);
	for (;;)
		pause();
}

static pid_t spawn_target(void)
{
	pid_t pid = fork();

	if (!pid) {
		execl(self_exe, self_exe, "target", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/*
 * Has @pid exec'd in "target" mode?  Attaching earlier attaches to the
 * fork, and the exec then ends that attachment.  Up to 30 s.
 */
static bool wait_exec(pid_t pid)
{
	char path[64], args[PATH_MAX + 16];
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	for (i = 0; i < 3000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return false;
		n = read(fd, args, sizeof(args) - 1);
		close(fd);
		if (n > 0) {
			args[n] = '\0';
			/* argv[1], after the first NUL. */
			if (memchr(args, '\0', n) &&
			    !strcmp(args + strlen(args) + 1, "target"))
				return true;
		}
		usleep(10000);
	}
	return false;
}

/* xorshift64*, one state per thread. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static uint32_t pick(uint64_t *s, uint32_t n)
{
	return (uint32_t)(rnd(s) % n);
}

/* A size around one of the struct's boundaries. */
static uint32_t fuzz_size(uint64_t *s, uint32_t ver0, uint32_t known)
{
	static const int32_t delta[] = { -8, -4, -1, 0, 0, 0, 1, 4, 8 };
	uint32_t base;

	switch (pick(s, 6)) {
	case 0:
		return pick(s, 16);
	case 1:
		base = ver0;
		break;
	case 2:
		return 4096 + pick(s, 3) - 1;
	case 3:
		return (uint32_t)rnd(s);
	default:
		base = known;
	}
	return base + delta[pick(s, sizeof(delta) / sizeof(delta[0]))];
}

static pid_t fuzz_pid(uint64_t *s)
{
	switch (pick(s, 8)) {
	case 0:
		return 0;
	case 1:
		return -1;
	case 2:
		return 1;
	case 3:
		return (pid_t)rnd(s);
	default:
		return targets[pick(s, NR_TARGETS)];
	}
}

/*
 * A descriptor for @pid's mem file (@mem) or a perf event on it, or a
 * bogus one: -1, any number (maybe another thread's file), /dev/null.
 * *@opened says whether the caller must close it.
 */
static int fuzz_fd(uint64_t *s, pid_t pid, bool mem, bool *opened)
{
	*opened = false;
	switch (pick(s, 7)) {
	case 0:
		return -1;
	case 1:
		return (int)pick(s, 64);
	case 2:
		return (int)rnd(s);
	}
	*opened = true;
	if (!pick(s, 4))
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	return mem ? rt_open_mem(pid) : rt_perf_open(pid);
}

static void close_opened(int fd, bool opened)
{
	if (opened && fd >= 0)
		close(fd);
}

/* Bytes of a struct of @size, random or zero past @keep. */
static void *fuzz_buf(uint64_t *s, void *buf, size_t cap, size_t keep)
{
	unsigned char *b = buf;
	size_t i;

	if (!pick(s, 20))
		return pick(s, 2) ? NULL : unmapped;
	for (i = keep; i < cap; i++)
		b[i] = pick(s, 4) ? 0 : (unsigned char)rnd(s);
	return buf;
}

static void op_attach(uint64_t *s, int dev)
{
	struct racetrap_attach a;
	unsigned char raw[4200] = { 0 };
	pid_t pid = fuzz_pid(s);
	bool own_mem, own_perf = false;
	int mem = fuzz_fd(s, pid, true, &own_mem), perf = -1;
	void *arg;

	memset(&a, 0, sizeof(a));
	a.pid = pid;
	a.mem_fd = mem;
	if (pick(s, 2)) {
		perf = fuzz_fd(s, pid, false, &own_perf);
		a.flags = RACETRAP_ATTACH_F_PERF_FD;
		a.perf_fd = perf;
	}
	if (!pick(s, 8))
		a.flags = (uint32_t)rnd(s);
	if (!pick(s, 8))
		a.__reserved = (uint32_t)rnd(s);
	a.size = pick(s, 3) ? sizeof(a) :
		 fuzz_size(s, RACETRAP_ATTACH_SIZE_VER1, sizeof(a));
	memcpy(raw, &a, sizeof(a));
	arg = fuzz_buf(s, raw, a.size < sizeof(raw) ? a.size : sizeof(raw),
		       sizeof(a));
	if (!checked(ioctl(dev, RACETRAP_IOC_ATTACH, arg), "attach"))
		atomic_fetch_add(&attached, 1);
	close_opened(mem, own_mem);
	close_opened(perf, own_perf);
}

/*
 * A table for the target's executable, its sites in the sled: sorted and
 * valid, or not.
 */
static void op_sites(uint64_t *s, int dev)
{
	uint32_t n = pick(s, 4) ? pick(s, 64) + 1 : pick(s, 3) * RACETRAP_MAX_SITES;
	struct racetrap_site *t = NULL;
	struct racetrap_sites a = { 0 };
	uint64_t off = sled_off + pick(s, 64);
	bool own_fd = true;
	uint32_t i;

	if (n && n <= 4096)
		t = calloc(n, sizeof(*t));
	for (i = 0; t && i < n; i++) {
		if (off >= sled_off + sled_len) {
			n = i;		/* the sled is full */
			break;
		}
		t[i].offset = off;
		t[i].len = 1 + pick(s, 7);
		t[i].base = pick(s, 4) ? RACETRAP_REG_RAX + pick(s, 15) :
			    (uint8_t)rnd(s);
		t[i].size = 1U << pick(s, 4);
		t[i].access = 1 + pick(s, 3);
		if (!pick(s, 30))
			t[i].flags = (uint8_t)rnd(s);
		if (!pick(s, 4))
			t[i].func_tail = pick(s, 3) ? t[i].len + pick(s, 256) :
					 (uint32_t)rnd(s);
		off += t[i].len + pick(s, 16);
	}
	a.size = pick(s, 3) ? sizeof(a) :
		 fuzz_size(s, RACETRAP_SITES_SIZE_VER0, sizeof(a));
	a.flags = pick(s, 10) ? 0 : (uint32_t)rnd(s);
	a.fd = pick(s, 4) ? open(self_exe, O_RDONLY | O_CLOEXEC) :
	       fuzz_fd(s, 0, true, &own_fd);
	a.site_size = pick(s, 8) ? sizeof(*t) : pick(s, 64);
	a.nr_sites = n;
	a.sites = t ? (uintptr_t)t : pick(s, 2) ? 0 : (uintptr_t)unmapped;
	if (!checked(ioctl(dev, RACETRAP_IOC_ADD_SITES, &a), "add_sites"))
		atomic_fetch_add(&tables, 1);
	close_opened(a.fd, own_fd);
	free(t);
}

static void op_config(uint64_t *s, int dev)
{
	struct racetrap_config c = { 0 };
	unsigned char raw[4200] = { 0 };

	c.flags = pick(s, 3) ? RACETRAP_CONFIG_F_SET : pick(s, 2) ? 0 :
		  (uint32_t)rnd(s);
	c.triggers = pick(s, 4);
	c.window_us = pick(s, 3) ? 1 + pick(s, 2000) : (uint32_t)rnd(s);
	c.site_probes = pick(s, 2) ? pick(s, 64) : (uint32_t)rnd(s);
	c.site_rotate_ms = pick(s, 2) ? 50 + pick(s, 200) : (uint32_t)rnd(s);
	c.clock_period_us = pick(s, 2) ? 1000 + pick(s, 10000) : (uint32_t)rnd(s);
	c.max_watchpoints = pick(s, 6);
	c.stack_depth = pick(s, 70);
	c.budget_ppm = pick(s, 2) ? 1000000 : (uint32_t)rnd(s);
	c.stack_reg = pick(s, 4) ? 0 : (uint8_t)pick(s, 20);
	c.stack_off = pick(s, 4) ? 0 : (uint32_t)rnd(s);
	c.stack_dump = pick(s, 2) ? 0 : 64 * pick(s, 300);
	c.nr_ctx = pick(s, 2) ? 0 : pick(s, 4);
	c.ctx_off[0] = pick(s, 2) ? 8 * pick(s, 64) : (uint32_t)rnd(s);
	c.ctx_off[1] = pick(s, 2) ? 8 * pick(s, 64) : (uint32_t)rnd(s);
	c.watch_threads = pick(s, 2) ? pick(s, 300) : (uint32_t)rnd(s);
	c.go_preempt_off = pick(s, 2) ? 0 : (uint16_t)rnd(s);
	c.go_guard_off = pick(s, 2) ? 8 * pick(s, 64) : (uint16_t)rnd(s);
	c.size = pick(s, 3) ? sizeof(c) :
		 fuzz_size(s, RACETRAP_CONFIG_SIZE_VER0, sizeof(c));
	memcpy(raw, &c, sizeof(c));
	checked(ioctl(dev, RACETRAP_IOC_CONFIG,
		      fuzz_buf(s, raw, c.size < sizeof(raw) ? c.size : sizeof(raw),
			       sizeof(c))), "config");
}

static void op_small(uint64_t *s, int dev)
{
	unsigned char raw[8192] = { 0 };
	struct racetrap_stats *st = (void *)raw;
	struct racetrap_version *v = (void *)raw;
	struct racetrap_detach *d = (void *)raw;
	char buf[4096];

	switch (pick(s, 7)) {
	case 0:
		v->size = fuzz_size(s, RACETRAP_VERSION_SIZE_VER0, sizeof(*v));
		v->flags = pick(s, 8) ? 0 : 1;
		checked(ioctl(dev, RACETRAP_IOC_VERSION,
			      fuzz_buf(s, raw, 64, sizeof(*v))), "version");
		break;
	case 1:
		d->size = fuzz_size(s, RACETRAP_DETACH_SIZE_VER0, sizeof(*d));
		d->flags = pick(s, 8) ? 0 : (uint32_t)rnd(s);
		checked(ioctl(dev, RACETRAP_IOC_DETACH, d), "detach");
		break;
	case 2:
		st->size = fuzz_size(s, RACETRAP_STATS_SIZE_VER0, sizeof(*st));
		checked(ioctl(dev, RACETRAP_IOC_STATS,
			      fuzz_buf(s, raw, 0, 0)), "stats");
		break;
	case 3:
		checked(read(dev, pick(s, 10) ? (void *)buf : unmapped,
			     pick(s, sizeof(buf))), "read");
		break;
	case 4: {
		struct pollfd p = { .fd = dev, .events = POLLIN };

		checked(poll(&p, 1, 0), "poll");
		break;
	}
	case 5:
		/* Numbers this ABI does not define, and wrong direction bits. */
		checked(ioctl(dev, pick(s, 2) ?
			      _IO(RACETRAP_TYPE, __RACETRAP_CMD_LAST + pick(s, 4)) :
			      _IOWR(RACETRAP_TYPE, pick(s, __RACETRAP_CMD_LAST), int),
			      raw), "bad_cmd");
		break;
	default: {
		/*
		 * A fresh file behind the number, under the other threads'
		 * feet: the old one is released when their calls on it are
		 * done.  dup3() swaps it atomically, so the number never
		 * names a file that is not the device.
		 */
		int fresh = open(RACETRAP_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);

		if (fresh >= 0) {
			dup3(fresh, devs[pick(s, NR_DEVS)], O_CLOEXEC);
			close(fresh);
		}
	}
	}
}

/* Make a target exec itself, or kill it and start another. */
static void op_targets(uint64_t *s)
{
	int i = pick(s, NR_TARGETS);
	pid_t pid;

	pthread_mutex_lock(&targets_lock);
	pid = targets[i];
	if (pick(s, 2)) {
		kill(pid, SIGUSR1);
	} else {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		targets[i] = spawn_target();
	}
	pthread_mutex_unlock(&targets_lock);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *fuzz_thread(void *arg)
{
	uint64_t s = (uint64_t)(uintptr_t)arg;

	while (!atomic_load(&stop) &&
	       (!max_calls || atomic_load(&calls) < max_calls)) {
		int dev = devs[pick(&s, NR_DEVS)];

		switch (pick(&s, 16)) {
		case 0: case 1: case 2:
			op_attach(&s, dev);
			break;
		case 3: case 4:
			op_sites(&s, dev);
			break;
		case 5: case 6: case 7:
			op_config(&s, dev);
			break;
		case 8:
			if (!pick(&s, 8))
				op_targets(&s);
			break;
		default:
			op_small(&s, dev);
		}
	}
	return NULL;
}

/* Any thread of @pid in uninterruptible sleep (a stall)? */
static bool stalled(pid_t pid)
{
	char path[64], st[512];
	struct dirent *e;
	bool any = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && !any && (e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(st, sizeof(st), "%s/%s/stat", path, e->d_name);
		f = fopen(st, "re");
		if (f && fgets(st, sizeof(st), f)) {
			char *p = strrchr(st, ')');

			any = p && p[2] == 'D';
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return any;
}

int main(int argc, char **argv)
{
	double secs = 20, t0;
	pthread_t th[NR_THREADS];
	uint64_t seed;
	bool calm = true, works;
	pid_t fresh;
	int i, dev;
	ssize_t n;

	if (argc == 2 && !strcmp(argv[1], "target"))
		return target_main();
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	self_exe[n > 0 ? n : 0] = 0;
	find_sled();
	if (argc > 1)
		secs = atof(argv[1]);
	if (argc > 2)
		max_calls = atol(argv[2]);
	seed = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)time(NULL);
	signal(SIGPIPE, SIG_IGN);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ktap_start(PLAN);
	ktap_diag("seed %#llx, %g s, %ld calls at most, %d threads",
		  (unsigned long long)seed, secs, max_calls, NR_THREADS);
	for (i = 0; i < NR_TARGETS; i++)
		targets[i] = spawn_target();
	for (i = 0; i < NR_DEVS; i++)
		devs[i] = open(RACETRAP_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	usleep(200000);
	t0 = now_s();
	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&th[i], NULL, fuzz_thread,
			       (void *)(uintptr_t)(seed * (i + 1) | 1));
	while (now_s() - t0 < secs &&
	       (!max_calls || atomic_load(&calls) < max_calls)) {
		static long next = 100000;

		usleep(100000);
		/* Progress, for runs long enough to be stopped by hand. */
		if (atomic_load(&calls) >= next) {
			ktap_diag("%ld calls in %.0f s", atomic_load(&calls),
				  now_s() - t0);
			next += 100000;
		}
	}
	atomic_store(&stop, true);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	ktap_diag("%ld calls in %.1f s: %ld attaches and %ld site tables succeeded",
		  atomic_load(&calls), now_s() - t0, atomic_load(&attached),
		  atomic_load(&tables));
	ktap_result(atomic_load(&calls) > 0, "fuzz_calls_made");
	EXPECT_TRUE(atomic_load(&bad_errno) == 0, "fuzz_errnos_documented",
		    "%ld calls failed with an undocumented errno",
		    atomic_load(&bad_errno));

	for (i = 0; i < NR_DEVS; i++)
		close(devs[i]);
	/* Every file is closed: no target thread may stay stalled. */
	usleep(300000);
	for (i = 0; i < NR_TARGETS; i++)
		if (stalled(targets[i])) {
			ktap_diag("a thread of target %d is stalled",
				  (int)targets[i]);
			calm = false;
		}
	ktap_result(calm, "fuzz_no_target_left_stalled");

	/* A fresh target: the others may have died of a garbage table. */
	fresh = spawn_target();
	if (!wait_exec(fresh))
		ktap_diag("target %d did not exec in 30 s", (int)fresh);
	dev = open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);
	works = dev >= 0 && rt_attach(dev, fresh) == 0;
	if (works) {
		struct racetrap_detach d = { sizeof(d), 0 };

		works = ioctl(dev, RACETRAP_IOC_DETACH, &d) == 0;
	}
	EXPECT_TRUE(works, "fuzz_device_still_attaches", "%s", strerror(errno));
	if (dev >= 0)
		close(dev);
	for (i = 0; i < NR_TARGETS; i++) {
		kill(targets[i], SIGKILL);
		waitpid(targets[i], NULL, 0);
	}
	kill(fresh, SIGKILL);
	waitpid(fresh, NULL, 0);
	return ktap_finish();
}
