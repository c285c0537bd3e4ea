/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the engine selftests: run a fixture (fixture.h describes its
 * protocol), and a tiny racetrap client: attach, hand over the fixture's
 * site table, configure, read records and counters.
 */
#ifndef RACETRAP_ENGINE_H
#define RACETRAP_ENGINE_H


#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uapi/linux/racetrap.h>
#include "attach.h"
#include "ktap.h"

#define FX_MAX	256

struct fx_site {
	char name[16];
	uint64_t addr, off;
	int len, base, size, access, flags;
	long disp;
	uint32_t func_tail;	/* set by a test, 0 unless it does */
};

struct fx {
	pid_t pid;
	int to;				/* its stdin */
	FILE *out;			/* its stdout */
	struct fx_site sites[FX_MAX];
	int nr_sites;
	struct {
		char name[16];
		pid_t tid;
	} th[FX_MAX];
	int nr_th;
	uint64_t word;
	pid_t child;
	int child_status;
};

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime + stime of all of @pid's threads, in seconds (0 if unknown). */
static inline double fx_cpu_s(pid_t pid)
{
	unsigned long long ut = 0, st = 0;
	char path[64], buf[1024], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* After the comm: state, then 10 fields, then utime and stime. */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

/* Module parameter @name's value, its first line, in @buf; false if unread. */
static inline bool rt_param_read(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/sys/module/racetrap/parameters/%s",
		 name);
	f = fopen(path, "r");
	ok = f && fgets(buf, (int)len, f);
	if (f)
		fclose(f);
	return ok;
}

/* The directory the test binary (and the fixtures) live in. */
static inline const char *self_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n < 0)
		return ".";
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	return dir;
}

/* Read fixture lines up to one starting with @until; false on EOF. */
static inline bool fx_read_until(struct fx *f, const char *until)
{
	char line[512];

	while (fgets(line, sizeof(line), f->out)) {
		struct fx_site *s = &f->sites[f->nr_sites];
		unsigned long long addr;

		if (f->nr_sites < FX_MAX &&
		    sscanf(line, "site %15s %llx %" SCNx64 " %d %d %ld %d %d %d",
			   s->name, &addr, &s->off, &s->len, &s->base, &s->disp,
			   &s->size, &s->access, &s->flags) == 9) {
			s->addr = addr;
			f->nr_sites++;
		} else if (f->nr_th < FX_MAX &&
			   sscanf(line, "thread %15s %d", f->th[f->nr_th].name,
				  &f->th[f->nr_th].tid) == 2) {
			f->nr_th++;
		} else if (sscanf(line, "word %llx", &addr) == 1) {
			f->word = addr;
		} else if (sscanf(line, "child %d", &f->child) == 1) {
			;
		} else if (sscanf(line, "child-status %d",
				  &f->child_status) == 1) {
			;
		}
		if (!strncmp(line, until, strlen(until)))
			return true;
	}
	return false;
}

/* Start fixture fix_@name and wait for its "ready". */
static inline bool fx_start(struct fx *f, const char *name)
{
	int in[2], out[2];
	char path[PATH_MAX + 32];

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/fix_%s", self_dir(), name);
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return false;
	f->pid = fork();
	if (f->pid < 0)
		return false;
	if (!f->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->to = in[1];
	f->out = fdopen(out[0], "r");
	if (!f->out || !fx_read_until(f, "ready")) {
		ktap_diag("fixture %s did not start", name);
		return false;
	}
	return true;
}

static inline void fx_cmd(struct fx *f, const char *cmd)
{
	if (write(f->to, cmd, strlen(cmd)) < 0)
		ktap_diag("fixture command: %s", strerror(errno));
}

/* Wait up to @secs for @pid to exit; returns its status or -1. */
static inline int wait_exit(pid_t pid, double secs)
{
	double end = now_s() + secs;
	int status;

	do {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno == ECHILD)	/* reaped already */
			return 0;
		usleep(10000);
	} while (now_s() < end);
	return -1;
}

/* End the fixture (EOF on stdin), SIGKILL if it lingers. */
static inline int fx_stop(struct fx *f)
{
	int status;

	if (f->to >= 0)
		close(f->to);
	f->to = -1;
	status = wait_exit(f->pid, 5);
	if (status == -1) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, &status, 0);
	}
	if (f->out)
		fclose(f->out);
	f->out = NULL;
	return status;
}

static inline pid_t fx_tid(const struct fx *f, const char *name)
{
	int i;

	for (i = 0; i < f->nr_th; i++)
		if (!strcmp(f->th[i].name, name))
			return f->th[i].tid;
	return 0;
}

static inline const struct fx_site *fx_site(const struct fx *f,
					    const char *name)
{
	int i;

	for (i = 0; i < f->nr_sites; i++)
		if (!strcmp(f->sites[i].name, name))
			return &f->sites[i];
	return NULL;
}

static inline int rt_open(void)
{
	return open(RACETRAP_DEVICE, O_RDWR | O_CLOEXEC);
}

static inline int rt_detach(int fd)
{
	struct racetrap_detach d = { .size = sizeof(d) };

	return ioctl(fd, RACETRAP_IOC_DETACH, &d);
}

/* The fixture's table, sorted by offset as the ABI wants. */
static inline int fx_table(const struct fx *f, struct racetrap_site *t)
{
	int i, j, n = f->nr_sites;

	for (i = 0; i < n; i++) {
		const struct fx_site *s = &f->sites[i];

		t[i] = (struct racetrap_site){
			.offset = s->off, .disp = s->disp, .len = s->len,
			.base = s->base, .size = s->size,
			.access = s->access, .flags = s->flags,
			.func_tail = s->func_tail,
		};
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && t[j - 1].offset > t[j].offset; j--) {
			struct racetrap_site tmp = t[j];

			t[j] = t[j - 1];
			t[j - 1] = tmp;
		}
	return n;
}

static inline int rt_add_table(int fd, pid_t pid,
			       const struct racetrap_site *t, int n)
{
	struct racetrap_sites s = {
		.size = sizeof(s), .site_size = sizeof(*t),
		.sites = (uintptr_t)t, .nr_sites = n,
	};
	char exe[64];
	int ret, err;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	s.fd = open(exe, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0)
		return -1;
	ret = ioctl(fd, RACETRAP_IOC_ADD_SITES, &s);
	err = errno;
	close(s.fd);
	errno = err;
	return ret < 0 ? ret : (int)s.table_id;
}

static inline int rt_add_sites(int fd, const struct fx *f)
{
	struct racetrap_site t[FX_MAX];

	return rt_add_table(fd, f->pid, t, fx_table(f, t));
}

static inline int rt_config_get(int fd, struct racetrap_config *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return ioctl(fd, RACETRAP_IOC_CONFIG, c);
}

/* Set @c (size and flags filled in here). */
static inline int rt_config_set(int fd, struct racetrap_config *c)
{
	c->size = sizeof(*c);
	c->flags = RACETRAP_CONFIG_F_SET;
	return ioctl(fd, RACETRAP_IOC_CONFIG, c);
}

/*
 * All counters in one call: a test comparing two counters of a live
 * attachment must take them from one snapshot, or a window opened between
 * two calls counts in one and not the other.  All zero on failure.
 */
static inline bool rt_stats(int fd, struct racetrap_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	return !ioctl(fd, RACETRAP_IOC_STATS, s);
}

static inline uint64_t rt_stat(int fd, enum racetrap_stat i)
{
	struct racetrap_stats s;

	return rt_stats(fd, &s) ? s.counters[i] : 0;
}

static inline void rt_dump_stats(int fd)
{
	static const char *const names[] = {
		"samples_site", "samples_clock", "clock_ticks", "clock_misses",
		"watches", "watched_cpus", "skip_stack", "skip_tls",
		"skip_busy", "skip_nospc", "skip_budget", "skip_fault",
		"skip_alone", "hits", "hits_atomic", "hits_overflow",
		"value_changes", "stall_ns", "cost_ns", "throttled",
		"records", "drops", "probes_armed", "probe_errors",
		"rotations", "skip_blocked", "clock_aims",
		"clock_aims_missed", "cost_others_ns", "throttled_ns",
		"clock_aims_up", "cost_rotate_ns", "rotations_deferred",
		"cost_bound_ns", "site_steps_lost", "hits_emulator",
		"sites_live", "probes_idle", "cpus_left", "hits_known",
		"site_births", "site_handoffs", "window_joins", "yields",
		"yields_back", "yields_timeout", "site_refreshes",
		"clock_period_us", "sites_ran", "bp_switches",
	};
	struct racetrap_stats s;
	char line[1024];
	size_t i, n = 0;

	_Static_assert(sizeof(names) / sizeof(names[0]) == __RACETRAP_STAT_LAST,
		       "a counter without a name");
	if (!rt_stats(fd, &s))
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) &&
		    i < s.nr_counters; i++)
		if (s.counters[i])
			n += snprintf(line + n, sizeof(line) - n, "%s=%llu ",
				      names[i],
				      (unsigned long long)s.counters[i]);
	line[n] = 0;
	ktap_diag("stats: %s", line);
}

/*
 * Read records for up to @secs; @cb returns true to stop early.  Returns
 * the number of records, -1 on error; *eof tells whether read() said EOF.
 */
static inline int rt_collect(int fd, double secs,
			     bool (*cb)(const struct racetrap_record *,
					void *),
			     void *arg, bool *eof)
{
	static struct racetrap_record recs[16];
	double end = now_s() + secs;
	int nr = 0;

	if (eof)
		*eof = false;
	while (now_s() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int i;

		if (poll(&p, 1, 100) < 0)
			return -1;
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(fd, recs, sizeof(recs));
		if (n < 0)
			return errno == EAGAIN ? nr : -1;
		if (n == 0) {
			if (eof)
				*eof = true;
			return nr;
		}
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++) {
			nr++;
			if (cb && cb(&recs[i], arg))
				return nr;
		}
	}
	return nr;
}

/* The state letter of thread @tid of @pid ('?' if gone). */
static inline char thread_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid,
		 (int)tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!p)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] && p[2] ? p[2] : '?';
}

/* Does some thread of @pid sit in state @st (D: stalled by racetrap)? */
static inline bool any_thread_in(pid_t pid, char st)
{
	char path[64];
	struct dirent *d;
	bool found = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return false;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.' && thread_state(pid, atoi(d->d_name)) == st)
			found = true;
	closedir(dir);
	return found;
}

/* Wait up to @secs for a thread of @pid in state @st. */
static inline bool wait_thread_in(pid_t pid, char st, double secs)
{
	double end = now_s() + secs;

	do {
		if (any_thread_in(pid, st))
			return true;
		usleep(1000);
	} while (now_s() < end);
	return false;
}

/* No thread of @pid in state @st for @secs. */
static inline bool never_in(pid_t pid, char st, double secs)
{
	double end = now_s() + secs;

	do {
		if (any_thread_in(pid, st))
			return false;
		usleep(5000);
	} while (now_s() < end);
	return true;
}

/* Attach a fresh tracer to fixture @f and give it the fixture's sites. */
/*
 * Attach to the started fixture @f with @cfg applied first (NULL: the
 * defaults), so that no window runs under the defaults before it.
 */
static inline int rt_attach_fx_with(const struct fx *f,
				    struct racetrap_config *cfg)
{
	int fd = rt_open();

	if (fd < 0) {
		ktap_diag("open %s: %s", RACETRAP_DEVICE, strerror(errno));
		return -1;
	}
	if (cfg && rt_config_set(fd, cfg)) {
		ktap_diag("config: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (rt_attach(fd, f->pid)) {
		ktap_diag("attach %d: %s", (int)f->pid, strerror(errno));
		close(fd);
		return -1;
	}
	if (rt_add_sites(fd, f) < 0) {
		ktap_diag("add sites: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static inline int rt_attach_fx(const struct fx *f)
{
	return rt_attach_fx_with(f, NULL);
}

/*
 * ktap_start() for a test whose results are @names: false, with every one
 * of them skipped, when there is no racetrap device to test.
 */
static inline bool rt_start_named(const char *const *names, int n)
{
	int i;

	ktap_start(n);
	if (!access(RACETRAP_DEVICE, R_OK | W_OK))
		return true;
	for (i = 0; i < n; i++)
		ktap_skip(names[i], "no " RACETRAP_DEVICE);
	return false;
}

/* Every one of @names fails: the set-up they all need did not work. */
static inline int rt_fail_named(const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ktap_result(false, names[i]);
	return ktap_finish();
}

#define FX_LIVE_COLD		200	/* fix_live's never-called sites */
#define FX_LIVE_COLD_INSN_LEN	7

/*
 * fix_live's sites as a binary's table gives them: the first of each
 * function flagged (@func_starts), the cold function's sites with the
 * distance to its end (@tails: its ret, one byte after its last load).
 */
static inline void fx_live_functions(struct fx *f, bool func_starts,
				     bool tails)
{
	int i, k;

	for (i = 0; i < f->nr_sites; i++) {
		bool start = !strcmp(f->sites[i].name, "a") ||
			     !strcmp(f->sites[i].name, "b") ||
			     !strcmp(f->sites[i].name, "c0");

		if (func_starts && start)
			f->sites[i].flags |= RACETRAP_SITE_F_FUNC_START;
		else
			f->sites[i].flags &= ~RACETRAP_SITE_F_FUNC_START;
		f->sites[i].func_tail = 0;
		if (tails && sscanf(f->sites[i].name, "c%d", &k) == 1)
			f->sites[i].func_tail = (FX_LIVE_COLD - k) *
						FX_LIVE_COLD_INSN_LEN + 1;
	}
}

/*
 * Attach to the started fixture @f with @cfg applied before the attach;
 * on failure say why, stop the fixture and return -1.
 */
static inline int rt_attach_fx_config(struct fx *f, struct racetrap_config *cfg)
{
	int fd = rt_attach_fx_with(f, cfg);

	if (fd < 0)
		fx_stop(f);
	return fd;
}

#endif /* RACETRAP_ENGINE_H */
