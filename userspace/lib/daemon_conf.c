// SPDX-License-Identifier: GPL-2.0
/* daemon_conf: racetrapd.conf and racetrapd's command-line settings. */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_conf.h"

void rt_daemon_conf_init(struct rt_daemon_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->queue_len = RT_DAEMON_QUEUE_DEFAULT;
	c->summary_s = RT_DAEMON_SUMMARY_DEFAULT;
}

void rt_daemon_conf_free(struct rt_daemon_conf *c)
{
	size_t i;

	for (i = 0; i < c->nr_targets; i++)
		free(c->targets[i].value);
	free(c->targets);
	free(c->users);
	rt_options_free(&c->opts);
	rt_daemon_conf_init(c);
}

static int add_target(struct rt_daemon_conf *c, enum rt_target_kind kind,
		      pid_t pid, const char *value, char *err, size_t errlen)
{
	struct rt_target *t;
	char *copy = NULL;

	if (value && !(copy = strdup(value)))
		goto nomem;
	t = realloc(c->targets, (c->nr_targets + 1) * sizeof(*t));
	if (!t)
		goto nomem;
	c->targets = t;
	c->targets[c->nr_targets++] = (struct rt_target){ kind, pid, copy };
	return 0;
nomem:
	free(copy);
	snprintf(err, errlen, "out of memory");
	return -1;
}

/*
 * "user NAME|UID": all digits is a uid (which need not have a password
 * entry), anything else a name that must have one now: a typo must not
 * leave the restriction matching nobody, or the wrong user.
 */
static int add_user(struct rt_daemon_conf *c, const char *what,
		    const char *value, char *err, size_t errlen)
{
	struct passwd pw, *found = NULL;
	unsigned long long v;
	char buf[16384];
	uid_t *u;
	int e;

	if (!value || !*value) {
		snprintf(err, errlen, "%s needs a value (a user name or a numeric uid)",
			 what);
		return -1;
	}
	if (strspn(value, "0123456789") == strlen(value)) {
		/* (uid_t)-1 means "no uid" to the kernel's set*id calls. */
		if (rt_parse_uint(what, value, 0, 4294967294ULL, "(a numeric uid)",
				  &v, err, errlen))
			return -1;
	} else {
		e = getpwnam_r(value, &pw, buf, sizeof(buf), &found);
		if (!found) {
			if (e && e != ENOENT && e != ESRCH)
				snprintf(err, errlen, "%s: cannot look up user '%s': %s",
					 what, value, strerror(e));
			else
				snprintf(err, errlen,
					 "%s: no user '%s' in the password database: want a user name or a numeric uid",
					 what, value);
			return -1;
		}
		v = found->pw_uid;
	}
	u = realloc(c->users, (c->nr_users + 1) * sizeof(*u));
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->users = u;
	c->users[c->nr_users++] = (uid_t)v;
	return 0;
}

int rt_daemon_conf_set(struct rt_daemon_conf *c, const char *name,
		       const char *value, bool cli, char *err, size_t errlen)
{
	const char *dash = cli ? "--" : "";
	unsigned long long v;
	char what[64];

	snprintf(what, sizeof(what), "%s%s", dash, name);
	if (!strcmp(name, "pid")) {
		if (rt_parse_uint(what, value, 1, 4194304, NULL, &v, err, errlen))
			return -1;
		return add_target(c, RT_TARGET_PID, (pid_t)v, NULL, err, errlen);
	}
	if (!strcmp(name, "exe")) {
		if (!value || value[0] != '/') {
			snprintf(err, errlen,
				 "%s: '%s' is not an absolute path: want e.g. /usr/bin/foo",
				 what, value ? value : "");
			return -1;
		}
		return add_target(c, RT_TARGET_EXE, 0, value, err, errlen);
	}
	if (!strcmp(name, "name")) {
		if (!value || !*value || strchr(value, '/') || strlen(value) > 255) {
			snprintf(err, errlen,
				 "%s: '%s' is not a process name: want a name without '/' (e.g. nginx)",
				 what, value ? value : "");
			return -1;
		}
		return add_target(c, RT_TARGET_NAME, 0, value, err, errlen);
	}
	if (!strcmp(name, "user"))
		return add_user(c, what, value, err, errlen);
	if (!strcmp(name, "syslog-max")) {
		if (rt_parse_uint(what, value, 0, 1048576, "bytes (0 = never split)",
				  &v, err, errlen))
			return -1;
		if (v && v < 256) {
			snprintf(err, errlen,
				 "%s: %s is too small: want 0 (never split) or 256..1048576 bytes",
				 what, value);
			return -1;
		}
		c->syslog_max = (unsigned int)v;
		return 0;
	}
	if (!strcmp(name, "queue")) {
		if (rt_parse_uint(what, value, 16, 1000000, "reports", &v, err,
				  errlen))
			return -1;
		c->queue_len = (unsigned int)v;
		return 0;
	}
	if (!strcmp(name, "summary-interval")) {
		if (rt_parse_uint(what, value, 0, RT_DAEMON_SUMMARY_MAX,
				  "seconds (0 = only when sampling ends)", &v,
				  err, errlen))
			return -1;
		c->summary_s = (unsigned int)v;
		return 0;
	}
	return rt_options_set(&c->opts, name, value, cli, err, errlen);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int rt_daemon_conf_parse_file(struct rt_daemon_conf *c, const char *path,
			      char *err, size_t errlen)
{
	struct rt_daemon_conf fresh;
	char *line = NULL, why[512];
	size_t cap = 0;
	unsigned int nr = 0;
	FILE *f;
	int e;

	f = fopen(path, "re");
	if (!f) {
		e = errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
		return e == ENOENT ? -ENOENT : -1;
	}
	/* Everything goes into a fresh configuration, moved into @c only
	 * once the whole file parsed. */
	rt_daemon_conf_init(&fresh);
	while (getline(&line, &cap, f) >= 0) {
		char *s, *name, *value, *hash;

		nr++;
		/* '#' starts a comment at the start or after a blank. */
		for (hash = line; (hash = strchr(hash, '#')); hash++)
			if (hash == line || isspace((unsigned char)hash[-1])) {
				*hash = '\0';
				break;
			}
		s = trim(line);
		if (!*s)
			continue;
		name = s;
		value = s + strcspn(s, " \t");
		if (*value) {
			*value++ = '\0';
			value = trim(value);
		}
		if (rt_daemon_conf_set(&fresh, name, *value ? value : NULL, false,
				       why, sizeof(why))) {
			snprintf(err, errlen, "%s:%u: %s", path, nr, why);
			goto err_fresh;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		goto err_fresh;
	}
	free(line);
	fclose(f);
	rt_daemon_conf_free(c);
	*c = fresh;
	return 0;

err_fresh:
	free(line);
	fclose(f);
	rt_daemon_conf_free(&fresh);
	return -1;
}

bool rt_daemon_conf_user_ok(const struct rt_daemon_conf *c, uid_t ruid)
{
	size_t i;

	for (i = 0; i < c->nr_users; i++)
		if (c->users[i] == ruid)
			return true;
	return c->nr_users == 0;
}

bool rt_target_matches(const struct rt_target *t, pid_t pid,
		       const char *comm, const char *exe)
{
	const char *base;

	switch (t->kind) {
	case RT_TARGET_PID:
		return t->pid == pid;
	case RT_TARGET_EXE:
		return exe && !strcmp(t->value, exe);
	case RT_TARGET_NAME:
		if (comm && !strcmp(t->value, comm))
			return true;
		/* comm is cut at 15 bytes: also try the executable's name. */
		base = exe ? strrchr(exe, '/') : NULL;
		return base && !strcmp(t->value, base + 1);
	}
	return false;
}
