// SPDX-License-Identifier: GPL-2.0
/*
 * racetrapd: samples the processes named in its configuration and streams
 * race reports to syslog.  Modules are initialised in dependency order
 * (signals, logger, configuration, targets) and finalised in reverse; one
 * poll() loop does the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon_conf.h"
#include "kapi.h"
#include "logger.h"
#include "signals.h"
#include "targets.h"
#include "version.h"

static const char *prog = "racetrapd";

/* Settings from the command line: re-applied over the file on reload. */
static struct {
	const char *conf_path;
	bool conf_explicit;
	bool to_stderr;
	const char **names, **values;
	size_t nr;
} args;

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [options] [TARGET...]\n\n", prog);
	fprintf(f,
		"Sample the processes named by TARGETs and by %s for data\n"
		"races and write every report to syslog (LOG_DAEMON; LOG_WARNING for\n"
		"races, LOG_INFO for status), with structured fields in the journal\n"
		"where journald runs.  Runs in the foreground.  SIGHUP reloads the\n"
		"configuration, SIGTERM stops with a summary of every race.\n\n"
		"A TARGET is a pid (1234), an executable path (/usr/bin/foo) or a\n"
		"process name (foo).  With --user (or \"user\" in the file), only\n"
		"processes whose real uid is one of those users are sampled.\n\n"
		"Options:\n", RT_DAEMON_CONF_PATH);
	fprintf(f, "  %-24s %s\n", "-c, --config FILE",
		"configuration file (default " RT_DAEMON_CONF_PATH ")");
	fprintf(f, "  %-24s %s\n", "--pid PID", "sample process PID (repeatable)");
	fprintf(f, "  %-24s %s\n", "--exe PATH",
		"sample every process running PATH (repeatable)");
	fprintf(f, "  %-24s %s\n", "--name NAME",
		"sample every process named NAME (repeatable)");
	fprintf(f, "  %-24s %s\n", "--user NAME|UID",
		"only processes of this user (real uid; repeatable)");
	fprintf(f, "  %-24s %s\n", "--syslog-max BYTES",
		"split reports longer than BYTES into numbered parts (0 = never, default)");
	fprintf(f, "  %-24s %s\n", "--queue N",
		"reports held while syslog is slow, 16..1000000 (default 4096)");
	fprintf(f, "  %-24s %s\n  %-24s %s\n", "--summary-interval S",
		"log each sampled process's race summary every S seconds",
		"", "(0 = only when its sampling ends; default 3600)");
	fprintf(f, "  %-24s %s\n", "-f, --foreground", "accepted; racetrapd always runs in the foreground");
	fprintf(f, "  %-24s %s\n", "--stderr", "write reports to stderr instead of syslog");
	rt_options_usage(f, RT_OPT_CONF);
	fprintf(f, "  %-24s %s\n  %-24s %s\n", "-h, --help", "this text",
		"--version", "print the version");
	fprintf(f, "\nCommand-line settings override the file's.  Exit status: 0 after\n"
		"SIGTERM or SIGINT, 1 on error, 2 for bad usage.\n");
}

static void print_version(void)
{
	char mod[64];

	printf("%s %s (ABI version %d)\nracetrap.ko: %s\n", prog, rt_version,
	       RACETRAP_ABI_VERSION, rt_module_version(mod, sizeof(mod)));
}

static int usage_error(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return 2;
}

static int remember(const char *name, const char *value)
{
	const char **n = realloc(args.names, (args.nr + 1) * sizeof(*n));

	if (!n)
		return -1;
	args.names = n;
	n = realloc(args.values, (args.nr + 1) * sizeof(*n));
	if (!n)
		return -1;
	args.values = n;
	args.names[args.nr] = name;
	args.values[args.nr++] = value;
	return 0;
}

enum { OPT_STDERR = 1000, OPT_VERSION, OPT_SETTING };

static const char *const daemon_settings[] = {
	"pid", "exe", "name", "user", "syslog-max", "queue", "summary-interval",
};

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv)
{
	struct option longopts[64];
	struct rt_daemon_conf scratch;
	const char *setting[64];
	size_t i, n = 0, s = 0;
	char err[512], culprit[3];
	int c, idx, ret = -1;

	longopts[n++] = (struct option){ "config", required_argument, NULL, 'c' };
	longopts[n++] = (struct option){ "foreground", no_argument, NULL, 'f' };
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n++] = (struct option){ "stderr", no_argument, NULL, OPT_STDERR };
	longopts[n++] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	for (i = 0; i < sizeof(daemon_settings) / sizeof(daemon_settings[0]); i++) {
		setting[s] = daemon_settings[i];
		longopts[n++] = (struct option){ daemon_settings[i], required_argument,
						 NULL, OPT_SETTING + (int)s++ };
	}
	for (i = 0; i < rt_nr_option_descs; i++) {
		const struct rt_option_desc *d = &rt_option_descs[i];

		if (!(d->where & RT_OPT_CONF))
			continue;
		setting[s] = d->name;
		longopts[n++] = (struct option){ d->name,
			d->arg ? required_argument : no_argument, NULL,
			OPT_SETTING + (int)s++ };
	}
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	args.conf_path = RT_DAEMON_CONF_PATH;
	/* Each setting is checked now, on a scratch configuration, so a bad
	 * one is a usage error before anything starts. */
	rt_daemon_conf_init(&scratch);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:fh", longopts, &idx)) != -1) {
		switch (c) {
		case 'c':
			args.conf_path = optarg;
			args.conf_explicit = true;
			break;
		case 'f':
			break;
		case 'h':
			usage(stdout);
			ret = 0;
			goto out;
		case OPT_STDERR:
			args.to_stderr = true;
			break;
		case OPT_VERSION:
			print_version();
			ret = 0;
			goto out;
		case ':':
			ret = usage_error("%s needs a value%s",
					  rt_getopt_culprit(argv, culprit), "");
			goto out;
		case '?':
			ret = usage_error("unknown option '%s'%s",
					  rt_getopt_culprit(argv, culprit), "");
			goto out;
		default:
			if (rt_daemon_conf_set(&scratch, setting[c - OPT_SETTING],
					       optarg, true, err, sizeof(err))) {
				ret = usage_error("%s%s", err, "");
				goto out;
			}
			if (remember(setting[c - OPT_SETTING], optarg))
				goto nomem;
		}
	}
	for (; optind < argc; optind++) {
		const char *t = argv[optind];
		const char *kind = t[0] == '/' ? "exe" :
			strspn(t, "0123456789") == strlen(t) ? "pid" : "name";

		if (rt_daemon_conf_set(&scratch, kind, t, false, err, sizeof(err))) {
			ret = usage_error("target %s: %s", t, err);
			goto out;
		}
		if (remember(kind, t))
			goto nomem;
	}
out:
	rt_daemon_conf_free(&scratch);
	return ret;
nomem:
	rt_daemon_conf_free(&scratch);
	fprintf(stderr, "%s: out of memory\n", prog);
	return 1;
}

/* The file (if any), then the command line over it, into @c. */
static int load_conf(struct rt_daemon_conf *c, char *err, size_t errlen)
{
	struct rt_daemon_conf fresh;
	char why[512];
	size_t i;
	int r;

	rt_daemon_conf_init(&fresh);
	r = rt_daemon_conf_parse_file(&fresh, args.conf_path, err, errlen);
	if (r == -ENOENT && !args.conf_explicit)
		r = 0;	/* no file: the command line says everything */
	if (r)
		goto err_fresh;
	for (i = 0; i < args.nr; i++) {
		if (rt_daemon_conf_set(&fresh, args.names[i], args.values[i], true,
				       why, sizeof(why))) {
			snprintf(err, errlen, "command line: %s", why);
			goto err_fresh;
		}
	}
	rt_daemon_conf_free(c);
	*c = fresh;
	return 0;
err_fresh:
	rt_daemon_conf_free(&fresh);
	return -1;
}

static void describe(const struct rt_daemon_conf *c, const char *what)
{
	char users[256] = "";
	size_t i, len;

	for (i = 0; i < c->nr_users; i++) {
		len = strlen(users);
		snprintf(users + len, sizeof(users) - len, "%s%u",
			 i ? ", " : "; only processes whose real uid is ",
			 (unsigned int)c->users[i]);
	}
	logger_msg(LOG_INFO, "%s: %zu target%s from %s and the command line%s%s",
		   what, c->nr_targets, c->nr_targets == 1 ? "" : "s",
		   args.conf_path, users,
		   c->nr_targets ? "" : "; nothing to sample until a reload (SIGHUP) adds targets");
}

static void reload(struct rt_daemon_conf *c)
{
	struct rt_daemon_conf fresh;
	char err[1024];

	rt_daemon_conf_init(&fresh);
	if (load_conf(&fresh, err, sizeof(err))) {
		logger_msg(LOG_ERR, "reload failed, keeping the current configuration: %s",
			   err);
		rt_daemon_conf_free(&fresh);
		return;
	}
	rt_daemon_conf_free(c);
	*c = fresh;
	logger_configure(c->queue_len, c->syslog_max);
	logger_set_json(c->opts.json);
	targets_apply(c);
	describe(c, "configuration reloaded");
}

/*
 * Each sampled process holds descriptors (its /dev/racetrap session, its
 * mapped files while decoding): take the hard limit, not the 1024 soft
 * default, and say so when even that is low.
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < 4096)
		logger_msg(LOG_WARNING, "only %llu file descriptors allowed (RLIMIT_NOFILE): sampling many processes may fail with EMFILE",
			   (unsigned long long)rl.rlim_cur);
}

/* Room for the signals' pollfd and one per sampled process. */
static int grow_pollfds(struct pollfd **pfds, size_t *cap)
{
	size_t want = targets_count() + 1;
	struct pollfd *grown;

	if (want <= *cap)
		return 0;
	grown = realloc(*pfds, want * sizeof(**pfds));
	if (!grown)
		return -1;
	*pfds = grown;
	*cap = want;
	return 0;
}

static int loop(struct rt_daemon_conf *c)
{
	struct timespec next_scan = { 0 }, now;
	struct pollfd *pfds = NULL;
	size_t cap = 0;
	int ret = 0;

	while (!signals_quit) {
		size_t n;
		long ms;

		if (signals_reload) {
			signals_reload = false;
			reload(c);
			next_scan = (struct timespec){ 0 };
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next_scan.tv_sec ||
		    (now.tv_sec == next_scan.tv_sec && now.tv_nsec >= next_scan.tv_nsec)) {
			targets_scan(c);
			next_scan = now;
			next_scan.tv_sec += TARGETS_SCAN_MS / 1000;
		}
		if (grow_pollfds(&pfds, &cap)) {
			logger_msg(LOG_ERR, "out of memory for %zu descriptors",
				   targets_count());
			ret = 1;
			break;
		}
		n = targets_pollfds(pfds + 1, cap - 1);
		ms = (next_scan.tv_sec - now.tv_sec) * 1000 +
		     (next_scan.tv_nsec - now.tv_nsec) / 1000000;
		if (ms < 0)
			ms = 0;
		if (signals_poll(pfds, n + 1, (int)ms) < 0) {
			logger_msg(LOG_ERR, "poll: %s", strerror(errno));
			ret = 1;
			break;
		}
		if (signals_quit)
			break;
		targets_dispatch(pfds + 1, n);
		targets_tick(c->summary_s);
	}
	free(pfds);
	return ret;
}

int main(int argc, char **argv)
{
	struct rt_daemon_conf conf;
	char err[1024];
	int ret;

	ret = parse_args(argc, argv);
	if (ret >= 0)
		goto out_args;
	ret = 1;
	rt_daemon_conf_init(&conf);
	if (load_conf(&conf, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto out_args;
	}
	/* No module is a setup error to say at once, not once per target. */
	{
		struct rt_kapi k;

		if (rt_kapi_open(&k, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto out_conf;
		}
		rt_kapi_close(&k);
	}
	if (signals_init()) {
		fprintf(stderr, "%s: cannot set up signals: %s\n", prog, strerror(errno));
		goto out_conf;
	}
	if (logger_init(args.to_stderr ? LOGGER_STDERR : LOGGER_SYSLOG,
			conf.queue_len, conf.syslog_max)) {
		fprintf(stderr, "%s: cannot start the logger thread\n", prog);
		goto out_signals;
	}
	logger_set_json(conf.opts.json);
	raise_fd_limit();
	if (targets_init())
		goto out_logger;

	describe(&conf, "started");
	ret = loop(&conf);
	logger_msg(LOG_INFO, "shutting down: summaries of %zu sampled process%s follow",
		   targets_count(), targets_count() == 1 ? "" : "es");

	/* Nothing reads the kernel any more: the summaries may wait for
	 * syslog rather than be dropped. */
	logger_set_blocking();
	targets_fini();
	logger_msg(LOG_INFO, "stopped");
out_logger:
	logger_fini();
out_signals:
	signals_fini();
out_conf:
	rt_daemon_conf_free(&conf);
out_args:
	free(args.names);
	free(args.values);
	return ret;
}
