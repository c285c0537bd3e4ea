/* SPDX-License-Identifier: GPL-2.0 */
/*
 * racetrapd's configuration: which processes to attach (by pid, by
 * executable path, by process name; of which users) and the sampling options of
 * lib/options.h, from /etc/racetrap/racetrapd.conf and the command line.
 * A file is parsed whole into a new configuration: one bad line fails
 * the whole file (FILE:LINE: why) and nothing of it is applied.
 */
#ifndef RT_DAEMON_CONF_H
#define RT_DAEMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "options.h"

#define RT_DAEMON_CONF_PATH	"/etc/racetrap/racetrapd.conf"
#define RT_DAEMON_QUEUE_DEFAULT	4096
#define RT_DAEMON_SUMMARY_DEFAULT 3600	/* seconds */
#define RT_DAEMON_SUMMARY_MAX	604800	/* a week */

enum rt_target_kind {
	RT_TARGET_PID,		/* "pid 1234": that process */
	RT_TARGET_EXE,		/* "exe /usr/bin/foo": /proc/PID/exe */
	RT_TARGET_NAME,		/* "name foo": comm or executable's basename */
};

struct rt_target {
	enum rt_target_kind kind;
	pid_t pid;
	char *value;		/* path or name; NULL for a pid */
};

struct rt_daemon_conf {
	struct rt_options opts;
	struct rt_target *targets;
	size_t nr_targets;
	/*
	 * "user NAME|UID": when any is set, only processes whose real uid is
	 * one of these are attached, whatever target matches them.  Names
	 * are looked up when the setting is parsed.
	 */
	uid_t *users;
	size_t nr_users;
	/* Split syslog messages longer than this many bytes; 0 = never. */
	unsigned int syslog_max;
	/* Reports held while syslog is slow; beyond it they are counted. */
	unsigned int queue_len;
	/* Log each session's race summary this often (s); 0 = at its end. */
	unsigned int summary_s;
};

void rt_daemon_conf_init(struct rt_daemon_conf *c);
void rt_daemon_conf_free(struct rt_daemon_conf *c);

/*
 * Apply one "NAME VALUE" setting (a target, a daemon setting or a
 * sampling option).  @cli names options "--NAME" in messages.  Returns 0
 * or -1 with a message in @err; @c is unchanged on error.
 */
int rt_daemon_conf_set(struct rt_daemon_conf *c, const char *name,
		       const char *value, bool cli, char *err, size_t errlen);

/*
 * Parse @path into @c (which must be freshly initialised).  Returns 0,
 * -ENOENT if the file does not exist (message in @err), or -1 with
 * "PATH:LINE: why" in @err; on any error @c holds nothing of the file.
 */
int rt_daemon_conf_parse_file(struct rt_daemon_conf *c, const char *path,
			      char *err, size_t errlen);

/*
 * True if a process whose real uid is @ruid may be attached: no "user"
 * setting, or one of them is @ruid.
 */
bool rt_daemon_conf_user_ok(const struct rt_daemon_conf *c, uid_t ruid);

/* True if process @pid with @comm and executable @exe matches @t. */
bool rt_target_matches(const struct rt_target *t, pid_t pid,
		       const char *comm, const char *exe);

#endif /* RT_DAEMON_CONF_H */
