// SPDX-License-Identifier: GPL-2.0
/* session: one attached target, from attach to the final summary. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "analyzer.h"
#include "goabi.h"
#include "kapi.h"
#include "procstat.h"
#include "session.h"
#include "sink.h"
#include "sites.h"
#include "statusfile.h"

#define READ_BATCH 32
#define READ_MAX_BATCHES 64

struct rt_session {
	struct rt_kapi k;
	struct rt_analyzer *an;
	struct rt_sites_seen *seen;
	struct rt_options opts;
	rt_sink_fn emit;
	void *emit_arg;
	pid_t pid;
	char comm[64];
	time_t started;
	bool attached;		/* ATTACH done, no END record yet */
	bool go;		/* the target is a Go executable */
	bool drained;		/* END seen and the ring read to the end */
	bool status_written;
	int end_reason;
	unsigned int nr_tables;
	uint64_t next_rescan_ms, next_status_ms;
	uint64_t started_ms;
	uint64_t cpu_at_attach_ns;	/* the target's utime + stime then */
	char scan_err[512];	/* last rescan error, reported once */
};

/*
 * The target's CPU time (all threads, exited ones included), from
 * /proc/PID/stat's utime and stime; 0 if it cannot be read.  For the
 * status file only: the kernel keeps the budget from its own figure.
 */
static uint64_t target_cpu_ns(pid_t pid)
{
	unsigned long long t[2];	/* utime, stime */
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0 || !rt_proc_stat_fields(pid, 14, 2, t))
		return 0;
	return (t[0] + t[1]) * (1000000000ULL / (unsigned long long)hz);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * A status report of the session itself (attached, a library skipped):
 * the same kind of report as the analyzer's, so sinks render both alike.
 */
__attribute__((format(printf, 4, 5)))
static void status(struct rt_session *s, int priority, const char *event,
		   const char *fmt, ...)
{
	struct rt_status_view v = {
		.event = event, .comm = s->comm, .pid = s->pid,
	};
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v.message = msg;
	s->emit(s->emit_arg, &(struct rt_report){
		.kind = RT_REPORT_STATUS, .priority = priority, .pid = s->pid,
		.status = &v,
	});
}

/*
 * Go targets get the clock trigger alone unless the options name the
 * triggers: with the site trigger on, an allocation-heavy Go program
 * crashed in some runs in the test VM and the cause is not known yet
 * (Documentation/testing.rst, "Go targets crashing in the test VM").
 */
static void go_default_triggers(const struct rt_session *s,
				struct racetrap_config *cfg)
{
	if (s->go && !cfg->triggers)
		cfg->triggers = RACETRAP_TRIGGER_CLOCK;
}

static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	snprintf(buf, len, "?");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	/* comm is chosen by the target: no control characters in logs or
	 * the line-based status file (JSON output escapes the rest). */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static int add_table(void *arg, const struct rt_site_table *t)
{
	struct rt_session *s = arg;
	char err[512];
	uint32_t id;

	if (t->nr_sites == 0)
		return 0;
	if (rt_kapi_add_sites(&s->k, t->fd, t->sites, t->nr_sites, &id,
			      err, sizeof(err)) < 0) {
		/* One library that vanished or is too big must not end the
		 * session: say so and sample the rest. */
		status(s, LOG_WARNING, "skip", "pid %d: not sampling %s: %s",
		       (int)s->pid, t->map.path, err);
		return 0;
	}
	rt_analyzer_add_table(s->an, id, t->map.path, t->build_id,
			      t->map.start, t->map.offset);
	s->nr_tables++;
	return 0;
}

static int scan(struct rt_session *s, char *err, size_t errlen)
{
	struct rt_sites_opts so;

	rt_options_sites(&s->opts, &so);
	return rt_sites_scan(s->pid, &so, s->seen, add_table, s, err, errlen);
}

static void write_status(struct rt_session *s)
{
	struct rt_analyzer_counts ac;
	struct racetrap_stats st;
	char text[8192], owner[64];
	size_t o = 0;
	unsigned int i;
	uint64_t cpu;

	read_comm(getpid(), owner, sizeof(owner));
	o += (size_t)snprintf(text + o, sizeof(text) - o,
			      "owner %d\nowner_comm %s\ntarget %d\ncomm %s\nstarted %lld\nupdated %lld\n",
			      (int)getpid(), owner, (int)s->pid, s->comm,
			      (long long)s->started, (long long)time(NULL));
	cpu = target_cpu_ns(s->pid);
	o += (size_t)snprintf(text + o, sizeof(text) - o,
			      "budget_ppm %u\ntarget_cpu_ns %llu\n",
			      s->opts.kcfg.budget_ppm,
			      (unsigned long long)(cpu > s->cpu_at_attach_ns ?
						   cpu - s->cpu_at_attach_ns : 0));
	if (rt_kapi_stats(&s->k, &st) == 0) {
		for (i = 0; i < st.nr_counters && i < RACETRAP_STATS_MAX; i++) {
			const char *name = rt_kapi_stat_name(i);
			char unnamed[32];

			if (!name) {
				snprintf(unnamed, sizeof(unnamed), "stat%u", i);
				name = unnamed;
			}
			o += (size_t)snprintf(text + o, sizeof(text) - o,
					      "stat %s %llu\n", name,
					      (unsigned long long)st.counters[i]);
		}
	}
	rt_analyzer_counts(s->an, &ac);
	snprintf(text + o, sizeof(text) - o,
		 "count analyzed %llu\ncount races %llu\ncount repeats %llu\n"
		 "count unseen_writers %llu\ncount filtered_runtime %llu\n"
		 "count suppressed %llu\ncount records_lost %llu\n"
		 "count hits_atomic %llu\ncount atomic_unseen %llu\n"
		 "count unwatched_unseen %llu\ncount hits_unattributed %llu\n",
		 (unsigned long long)ac.records, (unsigned long long)ac.races,
		 (unsigned long long)ac.repeats,
		 (unsigned long long)ac.unseen_writers,
		 (unsigned long long)ac.filtered_runtime,
		 (unsigned long long)ac.suppressed, (unsigned long long)ac.lost,
		 (unsigned long long)ac.hits_atomic,
		 (unsigned long long)ac.atomic_unseen,
		 (unsigned long long)ac.unwatched_unseen,
		 (unsigned long long)ac.hits_unattributed);
	/* Best effort: status is a convenience, never a reason to stop. */
	if (rt_status_write(s->pid, text) == 0)
		s->status_written = true;
}

struct rt_session *rt_session_start(const struct rt_session_params *p,
				    char *err, size_t errlen)
{
	struct rt_analyzer_opts ao;
	struct rt_session *s;
	char why[512];
	int r;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->k.fd = -1;
	s->pid = p->pid;
	s->emit = p->emit;
	s->emit_arg = p->emit_arg;
	s->started = time(NULL);
	s->started_ms = now_ms();
	if (rt_options_copy(&s->opts, p->opts)) {
		snprintf(err, errlen, "out of memory");
		goto err_free;
	}
	read_comm(s->pid, s->comm, sizeof(s->comm));

	if (rt_kapi_open(&s->k, err, errlen) < 0)
		goto err_opts;
	s->go = rt_goabi_stack_bounds(s->pid, &s->opts.kcfg);
	go_default_triggers(s, &s->opts.kcfg);
	s->opts.kcfg.stack_dump = rt_options_stack_dump(&s->opts);
	if (rt_kapi_set_config(&s->k, &s->opts.kcfg, err, errlen) < 0)
		goto err_close;
	/* Attach first: its errors (no such process, not allowed) are the
	 * ones to show, and nothing is read before the target is held. */
	if (rt_kapi_attach(&s->k, s->pid, err, errlen) < 0)
		goto err_close;
	s->attached = true;
	s->cpu_at_attach_ns = target_cpu_ns(s->pid);

	memset(&ao, 0, sizeof(ao));
	ao.suppressions = s->opts.suppressions;
	ao.keep_runtime = s->opts.keep_runtime;
	ao.report_atomics = s->opts.report_atomics;
	ao.go = s->go;
	ao.stack_depth = s->opts.kcfg.stack_depth;
	ao.emit = p->emit;
	ao.emit_arg = p->emit_arg;
	s->an = rt_analyzer_new(s->pid, &ao, err, errlen);
	if (!s->an)
		goto err_detach;
	s->seen = rt_sites_seen_new();
	if (!s->seen) {
		snprintf(err, errlen, "out of memory");
		goto err_analyzer;
	}

	r = scan(s, why, sizeof(why));
	if (r < 0) {
		snprintf(err, errlen, "reading the code of pid %d: %s",
			 (int)s->pid, why);
		goto err_seen;
	}
	if (s->nr_tables == 0) {
		snprintf(err, errlen,
			 "pid %d (%s): no code to sample: no executable mapping was selected or decoded (check --modules, --include-func, --exclude-func)",
			 (int)s->pid, s->comm);
		goto err_seen;
	}
	s->next_rescan_ms = now_ms() + RT_SESSION_RESCAN_MS;
	write_status(s);
	s->next_status_ms = now_ms() + RT_SESSION_STATUS_MS;
	if (p->announce)
		status(s, LOG_INFO, "attached",
		       "attached to pid %d (%s): window %u us, triggers %s%s%s%s, %u code tables",
		       (int)s->pid, s->comm, s->opts.kcfg.window_us,
		       s->opts.kcfg.triggers & RACETRAP_TRIGGER_SITE ? "site" : "",
		       (s->opts.kcfg.triggers & RACETRAP_TRIGGER_SITE) &&
		       (s->opts.kcfg.triggers & RACETRAP_TRIGGER_CLOCK) ? "," : "",
		       s->opts.kcfg.triggers & RACETRAP_TRIGGER_CLOCK ? "clock" : "",
		       s->go && !p->opts->kcfg.triggers ?
		       " (Go target: no site trigger unless --triggers asks)" : "",
		       s->nr_tables);
	return s;

err_seen:
	rt_sites_seen_free(s->seen);
err_analyzer:
	rt_analyzer_free(s->an);
err_detach:
	rt_kapi_detach(&s->k);
err_close:
	rt_kapi_close(&s->k);
err_opts:
	rt_options_free(&s->opts);
err_free:
	free(s);
	return NULL;
}

int rt_session_fd(const struct rt_session *s)
{
	return s->k.fd;
}

pid_t rt_session_pid(const struct rt_session *s)
{
	return s->pid;
}

const char *rt_session_comm(const struct rt_session *s)
{
	return s->comm;
}

int rt_session_end_reason(const struct rt_session *s)
{
	return s->end_reason;
}

int rt_session_process(struct rt_session *s)
{
	struct rt_record recs[READ_BATCH];
	int n, i, batches;

	if (s->drained)
		return 1;
	/* Bounded, so one busy target cannot starve the daemon's other
	 * sessions and periodic work: poll() says when there is more. */
	for (batches = 0; batches < READ_MAX_BATCHES; batches++) {
		n = rt_kapi_read(&s->k, recs, READ_BATCH);
		if (n == -EPIPE) {
			s->drained = true;
			s->attached = false;
			return 1;
		}
		if (n < 0)
			return n;
		if (n == 0)
			return 0;
		for (i = 0; i < n; i++) {
			rt_analyzer_feed_dumps(s->an, &recs[i].rec, recs[i].dump);
			if (recs[i].rec.type == RACETRAP_REC_END) {
				s->attached = false;
				s->end_reason = recs[i].rec.end_reason;
			}
		}
		if (n < READ_BATCH)
			return 0;
	}
	return 0;
}

void rt_session_tick(struct rt_session *s)
{
	uint64_t now = now_ms();
	char err[512];

	if (s->attached && now >= s->next_rescan_ms) {
		/* New mappings (dlopen); a target that just exited fails
		 * here harmlessly, its END record follows. */
		if (scan(s, err, sizeof(err)) < 0 && strcmp(err, s->scan_err)) {
			snprintf(s->scan_err, sizeof(s->scan_err), "%s", err);
			if (kill(s->pid, 0) == 0)
				status(s, LOG_WARNING, "rescan",
				       "pid %d: rescanning its code: %s",
				       (int)s->pid, err);
		}
		s->next_rescan_ms = now + RT_SESSION_RESCAN_MS;
	}
	if (now >= s->next_status_ms) {
		write_status(s);
		s->next_status_ms = now + RT_SESSION_STATUS_MS;
	}
}

int rt_session_reconfigure(struct rt_session *s, const struct rt_options *o,
			   char *err, size_t errlen)
{
	struct racetrap_config cfg = o->kcfg;
	int r;

	/* The target's stack layout is not an option: keep what it is. */
	cfg.stack_reg = s->opts.kcfg.stack_reg;
	cfg.stack_off = s->opts.kcfg.stack_off;
	cfg.stack_dump = rt_options_stack_dump(o);
	go_default_triggers(s, &cfg);
	r = rt_kapi_set_config(&s->k, &cfg, err, errlen);
	if (r == 0)
		s->opts.kcfg = cfg;
	return r;
}

void rt_session_stop(struct rt_session *s)
{
	uint64_t deadline = now_ms() + 1000;
	struct pollfd pfd = { .fd = s->k.fd, .events = POLLIN };

	if (s->attached)
		rt_kapi_detach(&s->k);
	/* Records already queued stay readable after DETACH: analyse them,
	 * then the END record, then EOF. */
	while (rt_session_process(s) == 0) {
		uint64_t now = now_ms();

		if (now >= deadline)
			break;
		poll(&pfd, 1, (int)(deadline - now));
	}
	s->attached = false;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * The sampling state in one line: while it lasts the budget's pauses are
 * only announced (the kernel says when one starts, not when it ends), so
 * the end says what they cost: how many samples they skipped and how
 * much of the attached time sampling was held back.
 */
static void sampling_line(struct rt_session *s)
{
	uint64_t attached_ms = now_ms() - s->started_ms, held_ms, taken, skipped;
	uint64_t pauses;
	struct racetrap_stats st;

	if (rt_kapi_stats(&s->k, &st) || st.nr_counters <= RACETRAP_STAT_SKIP_BUDGET)
		return;
	/* Taken: a window opened.  The budget refuses some before they are
	 * drawn (clock ticks) and some after (SAMPLES_*): count windows. */
	taken = st.counters[RACETRAP_STAT_WATCHES];
	skipped = st.counters[RACETRAP_STAT_SKIP_BUDGET];
	pauses = st.counters[RACETRAP_STAT_THROTTLED];
	held_ms = st.nr_counters > RACETRAP_STAT_THROTTLED_NS ?
		  st.counters[RACETRAP_STAT_THROTTLED_NS] / 1000000 : 0;
	if (held_ms > attached_ms)
		held_ms = attached_ms;
	if (!pauses) {
		status(s, LOG_INFO, "sampling",
		       "pid %d: %" PRIu64 " %s taken; the overhead budget never held sampling back",
		       (int)s->pid, taken, plural(taken, "sample", "samples"));
		return;
	}
	status(s, LOG_INFO, "sampling",
	       "pid %d: %" PRIu64 " %s taken, %" PRIu64 " skipped by the overhead budget, which paused sampling %" PRIu64 " %s, for %" PRIu64 ".%01" PRIu64 " s of %" PRIu64 ".%01" PRIu64 " s attached (%" PRIu64 "%%)",
	       (int)s->pid, taken, plural(taken, "sample", "samples"), skipped,
	       pauses, plural(pauses, "time", "times"), held_ms / 1000,
	       held_ms % 1000 / 100, attached_ms / 1000,
	       attached_ms % 1000 / 100,
	       attached_ms ? held_ms * 100 / attached_ms : 0);
}

void rt_session_summary(struct rt_session *s)
{
	sampling_line(s);
	rt_analyzer_summary(s->an);
}

void rt_session_free(struct rt_session *s)
{
	if (!s)
		return;
	if (s->attached)
		rt_kapi_detach(&s->k);
	if (s->status_written)
		rt_status_remove(s->pid);
	rt_sites_seen_free(s->seen);
	rt_analyzer_free(s->an);
	rt_kapi_close(&s->k);
	rt_options_free(&s->opts);
	free(s);
}

int rt_session_run(struct rt_session *s, volatile sig_atomic_t *stop,
		   unsigned long duration_ms, char *err, size_t errlen)
{
	uint64_t end = duration_ms ? now_ms() + duration_ms : 0;
	struct pollfd pfd = { .fd = s->k.fd, .events = POLLIN };
	int r = 0;

	while (!*stop) {
		uint64_t now = now_ms();
		int timeout = RT_SESSION_STATUS_MS;

		if (end) {
			if (now >= end)
				break;
			if (end - now < (uint64_t)timeout)
				timeout = (int)(end - now);
		}
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR) {
			r = -errno;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			break;
		}
		r = rt_session_process(s);
		if (r < 0) {
			snprintf(err, errlen, "reading records: %s", strerror(-r));
			break;
		}
		if (r == 1) {
			r = 0;
			break;
		}
		rt_session_tick(s);
	}
	rt_session_stop(s);
	return r;
}
