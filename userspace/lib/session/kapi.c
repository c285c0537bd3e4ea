// SPDX-License-Identifier: GPL-2.0
/* kapi: the /dev/racetrap ioctls, with errors that say what to do. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kapi.h"
#include "perfperm.h"
#include "version.h"

static int fail(int e, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -e;
}

int rt_kapi_open(struct rt_kapi *k, char *err, size_t errlen)
{
	int e;

	memset(k, 0, sizeof(*k));
	k->fd = open(RACETRAP_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0) {
		e = errno;
		switch (e) {
		case ENOENT:
			return fail(e, err, errlen,
				    "%s not found: load the module with `insmod racetrap.ko` (or `modprobe racetrap`)",
				    RACETRAP_DEVICE);
		case EACCES:
		case EPERM:
			return fail(e, err, errlen,
				    "cannot open %s: %s: run as root (or give this user read/write access to the device; attaching then follows the ptrace rules)",
				    RACETRAP_DEVICE, strerror(e));
		case ENXIO:
		case ENODEV:
			return fail(e, err, errlen,
				    "%s has no driver behind it: the module was unloaded; load it with `insmod racetrap.ko`",
				    RACETRAP_DEVICE);
		default:
			return fail(e, err, errlen, "cannot open %s: %s",
				    RACETRAP_DEVICE, strerror(e));
		}
	}

	k->version.size = sizeof(k->version);
	if (ioctl(k->fd, RACETRAP_IOC_VERSION, &k->version) < 0) {
		e = errno;
		close(k->fd);
		k->fd = -1;
		if (e == ENOTTY)
			return fail(e, err, errlen,
				    "%s does not answer the racetrap version ioctl: it is not racetrap's device, or the module is too old; load a matching racetrap.ko",
				    RACETRAP_DEVICE);
		return fail(e, err, errlen, "%s: version ioctl: %s",
			    RACETRAP_DEVICE, strerror(e));
	}
	if (k->version.abi_version != RACETRAP_ABI_VERSION) {
		char mod[64];

		close(k->fd);
		k->fd = -1;
		return fail(EPROTO, err, errlen,
			    "racetrap.ko %s speaks ABI version %u but these tools (%s) speak %u: install the module and tools of one release",
			    rt_module_version(mod, sizeof(mod)),
			    k->version.abi_version, rt_version,
			    RACETRAP_ABI_VERSION);
	}
	if (k->version.record_size < offsetof(struct racetrap_record, sampled)) {
		close(k->fd);
		k->fd = -1;
		return fail(EPROTO, err, errlen,
			    "racetrap.ko reports a record size of %u bytes, too small to be ABI version %u: install matching module and tools",
			    k->version.record_size, RACETRAP_ABI_VERSION);
	}
	return 0;
}

void rt_kapi_close(struct rt_kapi *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	free(k->buf);
	k->buf = NULL;
	k->buf_size = 0;
}

/*
 * The kernel's open of /proc/PID/mem is the ptrace-attach check (Yama and
 * LSMs included), and its descriptor is what ATTACH takes as proof.
 */
int rt_kapi_attach(struct rt_kapi *k, pid_t pid, char *err, size_t errlen)
{
	struct racetrap_attach a = { .size = sizeof(a), .pid = pid };
	char path[64];
	int e;

	if (pid <= 0)
		return fail(EINVAL, err, errlen, "%d is not a process id", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	a.mem_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (a.mem_fd < 0) {
		e = errno;
		switch (e) {
		case ENOENT:
			if (kill(pid, 0) == 0 || errno == EPERM)
				return fail(e, err, errlen,
					    "cannot attach to %d: %s: %s (is procfs mounted on /proc?)",
					    (int)pid, path, strerror(e));
			return fail(ESRCH, err, errlen,
				    "no process %d (it may have exited)", (int)pid);
		case ESRCH:	/* it has no memory */
			return fail(EINVAL, err, errlen,
				    "cannot attach to %d: not a user process (a kernel thread, or exiting)",
				    (int)pid);
		case EACCES:
		case EPERM:
			return fail(e, err, errlen,
				    "not allowed to trace PID %d (ptrace rules: same user, Yama ptrace_scope, LSM): opening %s: %s",
				    (int)pid, path, strerror(e));
		default:
			return fail(e, err, errlen, "cannot attach to %d: opening %s: %s",
				    (int)pid, path, strerror(e));
		}
	}
	/* The clock trigger's proof: where perf refuses it, the kernel
	 * refuses the clock (EACCES) unless this caller has CAP_PERFMON. */
	a.perf_fd = rt_perf_proof_open(pid);
	if (a.perf_fd >= 0)
		a.flags |= RACETRAP_ATTACH_F_PERF_FD;
	else
		a.perf_fd = 0;
	e = ioctl(k->fd, RACETRAP_IOC_ATTACH, &a) ? errno : 0;
	close(a.mem_fd);
	if (a.flags & RACETRAP_ATTACH_F_PERF_FD)
		close(a.perf_fd);
	switch (e) {
	case 0:
		return 0;
	case EACCES: {
		char why[160];

		rt_perf_refusal(why, sizeof(why));
		return fail(e, err, errlen,
			    "cannot attach to %d with the clock trigger: %s: use --triggers site",
			    pid, why);
	}
	case ESRCH:
		return fail(e, err, errlen, "no process %d (it may have exited)", pid);
	case EINVAL:
		return fail(e, err, errlen, "cannot attach to %d: not a user process", pid);
	case EPERM:
		return fail(e, err, errlen,
			    "cannot attach to %d: the process changed while racetrap was attaching (it ran exec, or exited and its pid was reused): try again",
			    pid);
	case EBUSY:
		return fail(e, err, errlen,
			    "process %d is already watched by another racetrap (see `racetrap status`)",
			    pid);
	case ENOSPC:
		return fail(e, err, errlen,
			    "cannot attach to %d: racetrap.ko's cap on attachments is reached (max_attachments, max_attachments_per_user in /sys/module/racetrap/parameters)",
			    pid);
	case ENOTTY:
		return fail(e, err, errlen,
			    "racetrap.ko does not implement attach: load a complete racetrap.ko");
	default:
		return fail(e, err, errlen, "cannot attach to %d: %s", pid, strerror(e));
	}
}

int rt_kapi_detach(struct rt_kapi *k)
{
	struct racetrap_detach d = { .size = sizeof(d) };

	return ioctl(k->fd, RACETRAP_IOC_DETACH, &d) < 0 ? -errno : 0;
}

int rt_kapi_add_sites(struct rt_kapi *k, int file_fd,
		      const struct racetrap_site *sites, size_t nr_sites,
		      uint32_t *table_id, char *err, size_t errlen)
{
	struct racetrap_sites s = {
		.size = sizeof(s),
		.fd = file_fd,
		.site_size = sizeof(*sites),
		.sites = (uintptr_t)sites,
		.nr_sites = (uint32_t)nr_sites,
	};
	bool starts = k->version.features & RACETRAP_FEAT_FUNC_START;
	bool tails = k->version.features & RACETRAP_FEAT_FUNC_TAIL;
	bool holds = k->version.features & RACETRAP_FEAT_GO_YIELD;
	struct racetrap_site *plain = NULL;
	int e;

	if (nr_sites == 0 || nr_sites > RACETRAP_MAX_SITES)
		return fail(EINVAL, err, errlen, "%zu sites: must be 1..%u",
			    nr_sites, RACETRAP_MAX_SITES);
	/* An older module refuses flags and fields it does not know. */
	if (!starts || !tails || !holds) {
		plain = malloc(nr_sites * sizeof(*plain));
		if (!plain)
			return fail(ENOMEM, err, errlen,
				    "out of memory copying %zu sites", nr_sites);
		for (size_t i = 0; i < nr_sites; i++) {
			plain[i] = sites[i];
			if (!starts)
				plain[i].flags &= ~RACETRAP_SITE_F_FUNC_START;
			if (!tails)
				plain[i].func_tail = 0;
			if (!holds)
				plain[i].flags &= ~RACETRAP_SITE_F_HOLD_THREAD;
		}
		s.sites = (uintptr_t)plain;
	}
	e = ioctl(k->fd, RACETRAP_IOC_ADD_SITES, &s) ? errno : 0;
	free(plain);
	if (!e) {
		*table_id = s.table_id;
		return 0;
	}
	switch (e) {
	case E2BIG:
		return fail(e, err, errlen,
			    "too many sites in all (the kernel takes %u): narrow the sampling universe with --modules or --include-func",
			    RACETRAP_MAX_SITES);
	case EINVAL:
		return fail(e, err, errlen,
			    "the kernel refused the site table (the file is no longer mapped executable, or the table is malformed)");
	case ENOENT:
		return fail(e, err, errlen, "not attached (the target ended)");
	case ENOSPC:
		return fail(e, err, errlen,
			    "racetrap.ko's cap on site-table memory is reached (max_sites_mib, max_sites_mib_per_user in /sys/module/racetrap/parameters): narrow the sampling universe with --modules or --include-func, or raise the cap");
	default:
		return fail(e, err, errlen, "adding sites: %s", strerror(e));
	}
}

int rt_kapi_set_config(struct rt_kapi *k, struct racetrap_config *cfg,
		       char *err, size_t errlen)
{
	int e;

	cfg->size = sizeof(*cfg);
	cfg->flags = RACETRAP_CONFIG_F_SET;
	/* An older module has no dumps and a reserved word there. */
	if (!(k->version.features & RACETRAP_FEAT_USER_DUMP))
		cfg->stack_dump = 0;
	/* Nor context words: it reads them as a non-zero tail (E2BIG). */
	/* Nor a thread cap: its reserved word must stay 0. */
	if (!(k->version.features & RACETRAP_FEAT_WATCH_THREADS))
		cfg->watch_threads = 0;
	/* Nor goroutine windows: a reserved word there too. */
	if (!(k->version.features & RACETRAP_FEAT_GO_YIELD)) {
		cfg->go_preempt_off = 0;
		cfg->go_guard_off = 0;
	}
	if (!(k->version.features & RACETRAP_FEAT_CTX_WORDS)) {
		cfg->nr_ctx = 0;
		memset(cfg->ctx_off, 0, sizeof(cfg->ctx_off));
	}
	if (ioctl(k->fd, RACETRAP_IOC_CONFIG, cfg) == 0) {
		if (cfg->stack_dump > k->dump_max)
			k->dump_max = cfg->stack_dump;
		return 0;
	}
	e = errno;
	if (e == EOPNOTSUPP)
		return fail(e, err, errlen,
			    "racetrap.ko does not support the requested triggers: try --triggers site");
	if (e == EINVAL)
		return fail(e, err, errlen,
			    "racetrap.ko rejected the sampling configuration (a value out of its range)");
	if (e == EACCES) {
		char why[160];

		rt_perf_refusal(why, sizeof(why));
		return fail(e, err, errlen,
			    "the clock trigger was not allowed when racetrap attached: %s",
			    why);
	}
	return fail(e, err, errlen, "setting the configuration: %s", strerror(e));
}

int rt_kapi_stats(struct rt_kapi *k, struct racetrap_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->size = sizeof(*stats);
	return ioctl(k->fd, RACETRAP_IOC_STATS, stats) < 0 ? -errno : 0;
}

bool rt_dump_valid(const struct racetrap_user_dump *d, size_t len)
{
	return len >= sizeof(*d) && d->size >= sizeof(*d) && d->size <= len &&
	       d->nr_regs == RACETRAP_DUMP_NR_REGS &&
	       d->stack_len <= d->size - sizeof(*d) &&
	       d->side <= RACETRAP_DUMP_TRAPPED;
}

void rt_record_decode(struct rt_record *out, const void *raw, size_t len,
		      size_t fixed)
{
	const unsigned char *p = raw;
	size_t off = fixed;

	memset(out, 0, sizeof(*out));
	memcpy(&out->rec, p, fixed < sizeof(out->rec) ? fixed : sizeof(out->rec));
	/* A module's shorter record has no context words (ABI 4's tail). */
	if (fixed < offsetof(struct racetrap_record, sampled_ctx) +
		    sizeof(out->rec.sampled_ctx))
		out->rec.sampled.flags &= ~RACETRAP_SIDE_F_CTX;
	if (fixed < offsetof(struct racetrap_record, trapped_ctx) +
		    sizeof(out->rec.trapped_ctx))
		out->rec.trapped.flags &= ~RACETRAP_SIDE_F_CTX;
	if (!(out->rec.flags & RACETRAP_REC_F_DUMP) || out->rec.size > len)
		return;
	/* One block per side at most, each well-formed, or none is used. */
	while (off + sizeof(struct racetrap_user_dump) <= out->rec.size) {
		const struct racetrap_user_dump *d = (const void *)(p + off);

		if (!rt_dump_valid(d, out->rec.size - off) || d->size % 8 ||
		    out->dump[d->side]) {
			out->dump[0] = out->dump[1] = NULL;
			return;
		}
		out->dump[d->side] = d;
		off += d->size;
	}
}

int rt_kapi_read(struct rt_kapi *k, struct rt_record *recs, size_t max)
{
	size_t ksize = k->version.record_size, n = 0, off = 0, want;
	ssize_t r;

	/* Room for @max records with both dumps at the largest size. */
	want = max * (ksize + 2 * (sizeof(struct racetrap_user_dump) +
				   k->dump_max));
	if (want > k->buf_size) {
		unsigned char *b = realloc(k->buf, want);

		if (!b)
			return -ENOMEM;
		k->buf = b;
		k->buf_size = want;
	}
	r = read(k->fd, k->buf, want);
	if (r < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
	if (r == 0)
		return -EPIPE;
	while (n < max && off + ksize <= (size_t)r) {
		uint32_t size;

		memcpy(&size, k->buf + off, sizeof(size));
		/* Records carry their size; a nonsensical one, the fixed size. */
		if (size < ksize || size > (size_t)r - off)
			size = (uint32_t)ksize;
		rt_record_decode(&recs[n++], k->buf + off, size, ksize);
		off += size;
	}
	return (int)n;
}

static const char *const stat_names[] = {
	[RACETRAP_STAT_SAMPLES_SITE] = "samples_site",
	[RACETRAP_STAT_SAMPLES_CLOCK] = "samples_clock",
	[RACETRAP_STAT_CLOCK_TICKS] = "clock_ticks",
	[RACETRAP_STAT_CLOCK_MISSES] = "clock_misses",
	[RACETRAP_STAT_WATCHES] = "watches",
	[RACETRAP_STAT_WATCHED_CPUS] = "watched_cpus",
	[RACETRAP_STAT_SKIP_STACK] = "skip_stack",
	[RACETRAP_STAT_SKIP_TLS] = "skip_tls",
	[RACETRAP_STAT_SKIP_BUSY] = "skip_busy",
	[RACETRAP_STAT_SKIP_NOSPC] = "skip_nospc",
	[RACETRAP_STAT_SKIP_BUDGET] = "skip_budget",
	[RACETRAP_STAT_SKIP_FAULT] = "skip_fault",
	[RACETRAP_STAT_SKIP_ALONE] = "skip_alone",
	[RACETRAP_STAT_HITS] = "hits",
	[RACETRAP_STAT_HITS_ATOMIC] = "hits_locked_pair",
	[RACETRAP_STAT_HITS_OVERFLOW] = "hits_overflow",
	[RACETRAP_STAT_VALUE_CHANGES] = "value_changes",
	[RACETRAP_STAT_STALL_NS] = "stall_ns",
	[RACETRAP_STAT_COST_NS] = "cost_ns",
	[RACETRAP_STAT_THROTTLED] = "throttled",
	[RACETRAP_STAT_RECORDS] = "records",
	[RACETRAP_STAT_DROPS] = "drops",
	[RACETRAP_STAT_PROBES_ARMED] = "probes_armed",
	[RACETRAP_STAT_PROBE_ERRORS] = "probe_errors",
	[RACETRAP_STAT_ROTATIONS] = "rotations",
	[RACETRAP_STAT_SKIP_BLOCKED] = "skip_blocked",
	[RACETRAP_STAT_CLOCK_AIMS] = "clock_aims",
	[RACETRAP_STAT_CLOCK_AIMS_MISSED] = "clock_aims_missed",
	[RACETRAP_STAT_COST_OTHERS_NS] = "cost_others_ns",
	[RACETRAP_STAT_THROTTLED_NS] = "throttled_ns",
	[RACETRAP_STAT_CLOCK_AIMS_UP] = "clock_aims_up",
	[RACETRAP_STAT_COST_ROTATE_NS] = "cost_rotate_ns",
	[RACETRAP_STAT_ROTATIONS_DEFERRED] = "rotations_deferred",
	[RACETRAP_STAT_COST_BOUND_NS] = "cost_bound_ns",
	[RACETRAP_STAT_SITE_STEPS_LOST] = "site_steps_lost",
	[RACETRAP_STAT_HITS_EMULATOR] = "hits_emulator",
	[RACETRAP_STAT_SITES_LIVE] = "sites_live",
	[RACETRAP_STAT_PROBES_IDLE] = "probes_idle",
	[RACETRAP_STAT_CPUS_LEFT] = "cpus_left",
	[RACETRAP_STAT_HITS_KNOWN] = "hits_known",
	[RACETRAP_STAT_SITE_BIRTHS] = "site_births",
	[RACETRAP_STAT_SITE_HANDOFFS] = "site_handoffs",
	[RACETRAP_STAT_WINDOW_JOINS] = "window_joins",
	[RACETRAP_STAT_YIELDS] = "yields",
	[RACETRAP_STAT_YIELDS_BACK] = "yields_back",
	[RACETRAP_STAT_YIELDS_TIMEOUT] = "yields_timeout",
	[RACETRAP_STAT_SITE_REFRESHES] = "site_refreshes",
	[RACETRAP_STAT_CLOCK_PERIOD_US] = "clock_period_us",
	[RACETRAP_STAT_SITES_RAN] = "sites_ran",
	[RACETRAP_STAT_BP_SWITCHES] = "bp_switches",
};
_Static_assert(sizeof(stat_names) / sizeof(stat_names[0]) == __RACETRAP_STAT_LAST,
	       "a racetrap_stat without a name");

const char *rt_kapi_stat_name(unsigned int stat)
{
	return stat < __RACETRAP_STAT_LAST ? stat_names[stat] : NULL;
}
