// SPDX-License-Identifier: GPL-2.0
/* targets: find matching processes in /proc and keep one session each. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "logger.h"
#include "procstat.h"
#include "session.h"
#include "targets.h"

struct proc_id {
	pid_t pid;
	unsigned long long start;	/* /proc/PID/stat starttime: pids recycle */
};

struct target_session {
	struct rt_session *s;
	struct proc_id id;
	time_t last_summary;	/* CLOCK_MONOTONIC seconds */
};

static time_t mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct target_session *sessions;
static size_t nr_sessions;

/* Processes tried and refused (or ended): not retried until they change. */
static struct proc_id *tried;
static size_t nr_tried;

static const char *const end_reasons[] = {
	[RACETRAP_END_UNSPEC] = "sampling stopped",
	[RACETRAP_END_DETACH] = "detached",
	[RACETRAP_END_EXIT] = "it exited",
	[RACETRAP_END_EXEC] = "it called exec",
};

int targets_init(void)
{
	return 0;
}

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * The real uid of @pid, from the first field of /proc/PID/status's "Uid:"
 * (real, effective, saved, filesystem).  The real uid is the user who ran
 * the process: exec'ing a setuid program changes the effective and saved
 * ones, not it, so nobody makes a process of theirs count as another user's.
 */
static bool proc_ruid(pid_t pid, uid_t *ruid)
{
	char path[64], buf[4096], *uid;
	unsigned long v;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return false;
	uid = strstr(buf, "\nUid:");
	if (!uid || sscanf(uid + 5, "%lu", &v) != 1)
		return false;
	*ruid = (uid_t)v;
	return true;
}

static bool proc_info(pid_t pid, struct proc_id *id, char *comm, size_t clen,
		      char *exe, size_t elen)
{
	char path[64];
	ssize_t n;

	id->pid = pid;
	if (!rt_proc_stat_fields(pid, 22, 1, &id->start))	/* starttime */
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (read_small(path, comm, clen) <= 0)
		return false;
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, elen - 1);
	/* Kernel threads and zombies have no executable: never targets. */
	if (n <= 0)
		return false;
	exe[n] = '\0';
	/* A running program whose file was replaced by an upgrade. */
	if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
		exe[n - 10] = '\0';
	return true;
}

static bool same(const struct proc_id *a, const struct proc_id *b)
{
	return a->pid == b->pid && a->start == b->start;
}

static bool was_tried(const struct proc_id *id)
{
	size_t i;

	for (i = 0; i < nr_tried; i++)
		if (same(&tried[i], id))
			return true;
	return false;
}

static void remember_tried(const struct proc_id *id)
{
	struct proc_id *t = realloc(tried, (nr_tried + 1) * sizeof(*t));

	if (!t)
		return;
	tried = t;
	tried[nr_tried++] = *id;
}

/* Forget processes that are gone, so the list does not grow forever. */
static void prune_tried(void)
{
	size_t i = 0;

	while (i < nr_tried) {
		unsigned long long start;

		if (rt_proc_stat_fields(tried[i].pid, 22, 1, &start) &&
		    start == tried[i].start)
			i++;
		else
			tried[i] = tried[--nr_tried];
	}
}

static bool sampled(pid_t pid)
{
	size_t i;

	for (i = 0; i < nr_sessions; i++)
		if (sessions[i].id.pid == pid)
			return true;
	return false;
}

/*
 * A process of a user the "user" settings leave out is passed over
 * silently: anyone can start processes named like a target.
 */
static bool matches(const struct rt_daemon_conf *c, pid_t pid,
		    const char *comm, const char *exe)
{
	size_t i;
	uid_t ruid;

	for (i = 0; i < c->nr_targets; i++)
		if (rt_target_matches(&c->targets[i], pid, comm, exe))
			break;
	if (i == c->nr_targets)
		return false;
	if (!c->nr_users)
		return true;
	return proc_ruid(pid, &ruid) && rt_daemon_conf_user_ok(c, ruid);
}

struct chosen {
	const struct rt_daemon_conf *conf;
	const struct proc_id *id;
	const char *exe;
};

/*
 * The process was matched at the scan and attached later: if it called
 * exec meanwhile (a setuid program, keeping its real uid and, through a
 * link, a target's name) or exited and its pid was reused, the
 * attachment is one no target allows.  Same start time, same program,
 * and a match still.
 */
static bool still_chosen(pid_t pid, void *arg)
{
	const struct chosen *ch = arg;
	char comm[64], exe[4096];
	struct proc_id now;

	return proc_info(pid, &now, comm, sizeof(comm), exe, sizeof(exe)) &&
	       now.start == ch->id->start && !strcmp(exe, ch->exe) &&
	       matches(ch->conf, pid, comm, exe);
}

static void start(const struct rt_daemon_conf *c, const struct proc_id *id,
		  const char *comm, const char *exe)
{
	struct chosen ch = { c, id, exe };
	struct rt_session_params p = {
		.pid = id->pid, .opts = &c->opts, .emit = logger_emit,
		.announce = true, .setup_nice = rt_options_setup_nice(&c->opts),
		.still_chosen = still_chosen, .still_chosen_arg = &ch,
	};
	struct target_session *ts;
	char err[1024];
	struct rt_session *s;

	s = rt_session_start(&p, err, sizeof(err));
	if (!s) {
		/* Logged once: the process is not retried until it
		 * restarts or the configuration is reloaded. */
		logger_msg(LOG_ERR, "cannot sample pid %d (%s): %s",
			   (int)id->pid, comm, err);
		remember_tried(id);
		return;
	}
	ts = realloc(sessions, (nr_sessions + 1) * sizeof(*ts));
	if (!ts) {
		logger_msg(LOG_ERR, "pid %d (%s): out of memory", (int)id->pid, comm);
		rt_session_free(s);
		remember_tried(id);
		return;
	}
	sessions = ts;
	sessions[nr_sessions++] = (struct target_session){ s, *id, mono_s() };
}

void targets_scan(const struct rt_daemon_conf *c)
{
	char comm[64], exe[4096];
	struct dirent *de;
	pid_t self = getpid();
	DIR *d;

	prune_tried();
	if (!c->nr_targets)
		return;
	d = opendir("/proc");
	if (!d) {
		logger_msg(LOG_ERR, "cannot read /proc: %s", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		struct proc_id id;
		pid_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (pid == self || sampled(pid))
			continue;
		if (!proc_info(pid, &id, comm, sizeof(comm), exe, sizeof(exe)))
			continue;
		if (was_tried(&id) || !matches(c, pid, comm, exe))
			continue;
		start(c, &id, comm, exe);
	}
	closedir(d);
}

/* End session @i: drain it, log why, emit its summary, free it. */
static void end(size_t i, const char *why)
{
	struct target_session *ts = &sessions[i];
	int reason;

	rt_session_stop(ts->s);
	reason = rt_session_end_reason(ts->s);
	if (!why)
		why = reason >= 0 && reason < __RACETRAP_END_LAST ?
			end_reasons[reason] : "sampling stopped";
	logger_msg(LOG_INFO, "stopped sampling pid %d (%s): %s",
		   (int)ts->id.pid, rt_session_comm(ts->s), why);
	rt_session_summary(ts->s);
	rt_session_free(ts->s);
	/* An exec gives the same process a new program: let the next scan
	 * decide whether that one matches.  Anything else is final. */
	if (reason != RACETRAP_END_EXEC)
		remember_tried(&ts->id);
	sessions[i] = sessions[--nr_sessions];
}

void targets_apply(const struct rt_daemon_conf *c)
{
	char comm[64], exe[4096], err[512];
	struct proc_id id;
	size_t i = 0;

	/* A changed configuration may now allow what failed before. */
	nr_tried = 0;
	while (i < nr_sessions) {
		struct target_session *ts = &sessions[i];

		if (!proc_info(ts->id.pid, &id, comm, sizeof(comm), exe, sizeof(exe)) ||
		    !matches(c, ts->id.pid, comm, exe)) {
			end(i, "no target matches it any more");
			continue;
		}
		if (rt_session_reconfigure(ts->s, &c->opts, err, sizeof(err)))
			logger_msg(LOG_ERR, "pid %d: keeping its old sampling options: %s",
				   (int)ts->id.pid, err);
		i++;
	}
}

size_t targets_pollfds(struct pollfd *pfds, size_t max)
{
	size_t i;

	for (i = 0; i < nr_sessions && i < max; i++)
		pfds[i] = (struct pollfd){ .fd = rt_session_fd(sessions[i].s),
					   .events = POLLIN };
	return i;
}

void targets_dispatch(const struct pollfd *pfds, size_t n)
{
	size_t i;

	/* Backwards: end() moves the last session into slot i. */
	for (i = n; i-- > 0;) {
		int r;

		if (i >= nr_sessions || rt_session_fd(sessions[i].s) != pfds[i].fd)
			continue;
		if (!pfds[i].revents)
			continue;
		r = rt_session_process(sessions[i].s);
		if (r < 0) {
			logger_msg(LOG_ERR, "pid %d: reading records: %s",
				   (int)sessions[i].id.pid, strerror(-r));
			end(i, "reading its records failed");
		} else if (r == 1) {
			end(i, NULL);
		}
	}
}

void targets_tick(unsigned int summary_s)
{
	time_t now = mono_s();
	size_t i;

	for (i = 0; i < nr_sessions; i++) {
		struct target_session *ts = &sessions[i];

		rt_session_tick(ts->s);
		if (summary_s && now - ts->last_summary >= (time_t)summary_s) {
			rt_session_summary(ts->s);
			ts->last_summary = now;
		}
	}
}

size_t targets_count(void)
{
	return nr_sessions;
}

void targets_fini(void)
{
	while (nr_sessions)
		end(nr_sessions - 1, "racetrapd is shutting down");
	free(sessions);
	sessions = NULL;
	free(tried);
	tried = NULL;
	nr_tried = 0;
}
