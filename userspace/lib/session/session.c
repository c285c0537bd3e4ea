// SPDX-License-Identifier: GPL-2.0
/* session: one attached target, from attach to the end of its records. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "analyzer.h"
#include "goctx.h"
#include "kapi.h"
#include "perfperm.h"
#include "session.h"
#include "session_priv.h"
#include "sides.h"
#include "sites.h"
#include "statusfile.h"

#define READ_BATCH 32
#define READ_MAX_BATCHES 64

/*
 * The clock trigger needs perf's permission (uapi/linux/racetrap.h,
 * RACETRAP_IOC_ATTACH), taken when racetrap attaches.  Without it the
 * default triggers become the site trigger alone, as the attached line
 * says; a clock trigger the options ask for is an error.
 */
static int settle_clock(struct rt_session *s, struct racetrap_config *cfg,
			char *err, size_t errlen)
{
	char why[160];

	if (!s->clock_refused ||
	    (cfg->triggers && !(cfg->triggers & RACETRAP_TRIGGER_CLOCK)))
		return 0;
	if (!cfg->triggers) {
		cfg->triggers = RACETRAP_TRIGGER_SITE;
		return 0;
	}
	rt_perf_refusal(why, sizeof(why));
	snprintf(err, errlen, "pid %d: the clock trigger is not allowed: %s; use --triggers site",
		 (int)s->pid, why);
	return -1;
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
		session_status(s, LOG_WARNING, "skip", "pid %d: not sampling %s: %s",
		       (int)s->pid, t->map.path, err);
		return 0;
	}
	rt_analyzer_add_table(s->an, id, t->map.path, t->build_id,
			      t->map.start, t->map.offset, t->sites,
			      t->nr_sites);
	s->nr_tables++;
	return 0;
}

static int scan(struct rt_session *s, char *err, size_t errlen)
{
	struct rt_sites_opts so;

	rt_options_sites(&s->opts, &so);
	return rt_sites_scan(s->pid, &so, s->seen, add_table, s, err, errlen);
}

static struct rt_session *session_start(const struct rt_session_params *p,
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
	rt_read_comm(s->pid, 0, s->comm, sizeof(s->comm));

	if (rt_kapi_open(&s->k, err, errlen) < 0)
		goto err_opts;
	/* A Go target's stack bounds, goroutine ids and creators for the
	 * reports, and what asks Go to preempt a goroutine, where DWARF says
	 * where they are and the module takes them: one read of the
	 * executable, its DWARF's answer cached by file. */
	s->go = rt_goctx_configure(s->pid, &s->opts.kcfg,
				   s->k.version.features & RACETRAP_FEAT_CTX_WORDS,
				   !s->opts.go_hold_thread &&
				   (s->k.version.features & RACETRAP_FEAT_GO_YIELD),
				   rt_options_cache_dir(&s->opts));
	s->clock_refused = !rt_perf_allowed(s->pid);
	if (settle_clock(s, &s->opts.kcfg, err, errlen))
		goto err_close;
	s->opts.kcfg.stack_dump = rt_options_stack_dump(&s->opts);
	if (rt_kapi_set_config(&s->k, &s->opts.kcfg, err, errlen) < 0)
		goto err_close;
	/* Attach first: its errors (no such process, not allowed) are the
	 * ones to show, and nothing is read before the target is held. */
	if (rt_kapi_attach(&s->k, s->pid, err, errlen) < 0)
		goto err_close;
	s->attached = true;
	if (p->still_chosen && !p->still_chosen(s->pid, p->still_chosen_arg)) {
		snprintf(err, errlen,
			 "pid %d is no longer the process chosen (it called exec or exited) and was let go",
			 (int)s->pid);
		goto err_detach;
	}
	s->cpu_at_attach_ns = session_target_cpu_ns(s->pid);

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
	session_write_status(s);
	s->next_status_ms = now_ms() + RT_SESSION_STATUS_MS;
	if (p->announce)
		session_status(s, LOG_INFO, "attached",
		       "attached to pid %d (%s): window %u us, triggers %s%s%s%s, %u code tables",
		       (int)s->pid, s->comm, s->opts.kcfg.window_us,
		       s->opts.kcfg.triggers & RACETRAP_TRIGGER_SITE ? "site" : "",
		       (s->opts.kcfg.triggers & RACETRAP_TRIGGER_SITE) &&
		       (s->opts.kcfg.triggers & RACETRAP_TRIGGER_CLOCK) ? "," : "",
		       s->opts.kcfg.triggers & RACETRAP_TRIGGER_CLOCK ? "clock" : "",
		       s->clock_refused && !p->opts->kcfg.triggers ?
		       " (no clock trigger: perf does not allow this user; see racetrap(1))" : "",
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

/*
 * How long the set-up runs at p->setup_nice before it takes racetrap's own
 * priority.  Nice lowers its weight against every runnable thread of the
 * target, so beside many busy threads it gets next to nothing: 0.6% of a
 * CPU beside the bench's threads256 (256 threads on 2 CPUs), 54 s to
 * attach in the test VM.  Past the grace it competes as one more thread,
 * a share the target's thread count bounds (Documentation/engine.rst,
 * "Limitations"); on an idle CPU, or beside a few busy threads, it has
 * long ended by then.
 */
#define SETUP_GRACE_MS 2000

struct setup_call {
	const struct rt_session_params *p;
	char *err;
	size_t errlen;
	struct rt_session *s;
	/* Under lock: the set-up thread's id once it lowered its priority,
	 * and whether the grace is over (it must not lower it after). */
	pthread_mutex_t lock;
	pid_t tid;
	int own_nice;
	bool grace_over;
};

static int own_nice(void)
{
	int v;

	errno = 0;
	v = getpriority(PRIO_PROCESS, (id_t)gettid());
	return errno ? 0 : v;
}

static void *setup_thread(void *arg)
{
	struct setup_call *c = arg;

	/*
	 * Linux's nice is per thread: only this thread yields, and never
	 * above the nice it has (root could raise it).  If it cannot be
	 * set (a seccomp filter), the set-up runs at our own priority.
	 */
	pthread_mutex_lock(&c->lock);
	if (!c->grace_over && c->own_nice < c->p->setup_nice &&
	    setpriority(PRIO_PROCESS, (id_t)gettid(), c->p->setup_nice) == 0)
		c->tid = gettid();
	pthread_mutex_unlock(&c->lock);
	c->s = session_start(c->p, c->err, c->errlen);
	return NULL;
}

/*
 * Raising a thread's priority back needs CAP_SYS_NICE or RLIMIT_NICE:
 * root has the first, racetrapd's unit sets the second (LimitNICE=+0);
 * otherwise the set-up stays at the lower priority and ends when the
 * target leaves it time.
 */
static void setup_grace_over(struct setup_call *c)
{
	pthread_mutex_lock(&c->lock);
	c->grace_over = true;
	if (c->tid)
		(void)setpriority(PRIO_PROCESS, (id_t)c->tid, c->own_nice);
	pthread_mutex_unlock(&c->lock);
}

/*
 * The set-up (reading the target's mappings and DWARF, decoding its code,
 * loading the tables into the kernel) runs in a thread of its own at
 * p->setup_nice when asked, so that it yields to a running target, for
 * SETUP_GRACE_MS at most; reading records must not wait behind the
 * target.
 */
struct rt_session *rt_session_start(const struct rt_session_params *p,
				    char *err, size_t errlen)
{
	struct setup_call c = {
		.p = p, .err = err, .errlen = errlen,
		.lock = PTHREAD_MUTEX_INITIALIZER, .own_nice = own_nice(),
	};
	struct timespec deadline;
	pthread_t th;

	if (p->setup_nice <= 0 ||
	    pthread_create(&th, NULL, setup_thread, &c) != 0)
		return session_start(p, err, errlen);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SETUP_GRACE_MS / 1000;
	deadline.tv_nsec += (SETUP_GRACE_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(th, NULL, &deadline) != 0) {
		setup_grace_over(&c);
		pthread_join(th, NULL);
	}
	return c.s;
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
				session_status(s, LOG_WARNING, "rescan",
				       "pid %d: rescanning its code: %s",
				       (int)s->pid, err);
		}
		s->next_rescan_ms = now + RT_SESSION_RESCAN_MS;
	}
	if (now >= s->next_status_ms) {
		session_write_status(s);
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
	cfg.nr_ctx = s->opts.kcfg.nr_ctx;
	memcpy(cfg.ctx_off, s->opts.kcfg.ctx_off, sizeof(cfg.ctx_off));
	cfg.stack_dump = rt_options_stack_dump(o);
	if (settle_clock(s, &cfg, err, errlen))
		return -1;
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

