// SPDX-License-Identifier: GPL-2.0
/* logger: a bounded queue in front of syslog or the journal. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#if HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

#include "json.h"
#include "logger.h"
#include "sink.h"
#include "strbuf.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

struct item {
	struct item *next;
	int priority;
	char *text;
	char *tag;		/* the race's fingerprint, or NULL */
	char *fields;		/* journald "NAME=value\n" lines, or NULL */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond, room;
	pthread_t thread;
	bool running, stopping, blocking;
	struct item *head, *tail;
	unsigned int len, max_len;
	unsigned int syslog_max;
	uint64_t dropped;		/* since the last drop report */
	enum logger_sink sink;
	bool journal;
	bool json;			/* the daemon's own lines as JSON too */
	/* Messages the journal refused (sent to syslog instead), not yet
	 * reported, and the last reason; the writer thread's own. */
	uint64_t journal_failed, journal_failed_total;
	int journal_errno;
} lg = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.room = PTHREAD_COND_INITIALIZER,
};

static void free_item(struct item *it)
{
	free(it->text);
	free(it->tag);
	free(it->fields);
	free(it);
}

#if HAVE_SYSTEMD
static int field(char **f, int *n, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	f[(*n)++] = s;
	return 0;
}

#define JOURNAL_FIELDS_MAX 16

/* 0, or a negative errno: the journal did not take the message. */
static int write_journal(const struct item *it)
{
	struct iovec iov[JOURNAL_FIELDS_MAX];
	char *f[JOURNAL_FIELDS_MAX];
	const char *p, *nl;
	int n = 0, i, r = -ENOMEM;

	if (field(f, &n, "MESSAGE=%s", it->text) ||
	    field(f, &n, "PRIORITY=%d", it->priority) ||
	    field(f, &n, "SYSLOG_IDENTIFIER=racetrapd") ||
	    field(f, &n, "SYSLOG_FACILITY=%d", LOG_DAEMON >> 3))
		goto out;
	/* The report's own fields (sink.h), one line each. */
	for (p = it->fields; p && *p && n < JOURNAL_FIELDS_MAX; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (field(f, &n, "%.*s", (int)(nl - p), p))
			goto out;
		if (!*nl)
			break;
	}
	for (i = 0; i < n; i++)
		iov[i] = (struct iovec){ f[i], strlen(f[i]) };
	r = sd_journal_sendv(iov, n);
out:
	for (i = 0; i < n; i++)
		free(f[i]);
	return r;
}
#endif

/*
 * Classic syslog transports cut long messages (RFC 3164 allows 1024
 * bytes; busybox syslogd keeps about that): with syslog-max set, a long
 * report goes out as numbered parts cut at line ends.
 */
static void write_syslog(const struct item *it)
{
	size_t len = strlen(it->text), max = lg.syslog_max, off, parts, n;
	const char *tag = it->tag ? it->tag : "report";
	char head[96];
	unsigned int i;

	if (!max || len <= max) {
		syslog(it->priority, "%s", it->text);
		return;
	}
	/* Reserve room for the part header in every part. */
	max -= sizeof(head);
	for (parts = 0, off = 0; off < len; parts++) {
		n = len - off > max ? max : len - off;
		if (off + n < len) {
			const char *nl = memrchr(it->text + off, '\n', n);

			if (nl && nl > it->text + off)
				n = (size_t)(nl - (it->text + off)) + 1;
		}
		off += n;
	}
	for (i = 1, off = 0; off < len; i++) {
		n = len - off > max ? max : len - off;
		if (off + n < len) {
			const char *nl = memrchr(it->text + off, '\n', n);

			if (nl && nl > it->text + off)
				n = (size_t)(nl - (it->text + off)) + 1;
		}
		snprintf(head, sizeof(head), "[%s part %u/%zu] ", tag, i, parts);
		syslog(it->priority, "%s%.*s", head, (int)n, it->text + off);
		off += n;
	}
}

static void write_item(const struct item *it)
{
	if (lg.sink == LOGGER_STDERR) {
		size_t len = strlen(it->text);

		fprintf(stderr, "%s%s", it->text,
			len && it->text[len - 1] == '\n' ? "" : "\n");
		return;
	}
#if HAVE_SYSTEMD
	if (lg.journal) {
		int r = write_journal(it);

		if (r == 0)
			return;
		/* Not lost: to syslog, counted, and the count reported. */
		lg.journal_failed++;
		lg.journal_failed_total++;
		lg.journal_errno = -r;
	}
#endif
	write_syslog(it);
}

/* The daemon's own line @text (after "racetrapd: ") as text or JSON. */
static void format_msg(struct rt_strbuf *b, int priority, const char *text)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
	};

	if (!lg.json) {
		rt_strbuf_printf(b, "racetrapd: %s", text);
		return;
	}
	rt_strbuf_puts(b, "{");
	rt_json_key(b, "type", true);
	rt_json_str(b, "daemon");
	rt_json_key(b, "priority", false);
	rt_json_str(b, names[LOG_PRI(priority)]);
	rt_json_key(b, "message", false);
	rt_json_str(b, text);
	rt_strbuf_puts(b, "}");
}

/* A line of the writer's own, written at once (it is the writer). */
static void write_own(int priority, const char *text)
{
	struct item d = { .priority = priority };
	struct rt_strbuf b;

	rt_strbuf_init(&b);
	format_msg(&b, priority, text);
	d.text = (char *)rt_strbuf_str(&b);
	write_item(&d);
	rt_strbuf_free(&b);
}

/* After the journal took a message again, or at the end: say how many
 * it refused.  Those went to syslog. */
static void report_journal_failures(void)
{
	char text[256];

	if (!lg.journal_failed)
		return;
	snprintf(text, sizeof(text),
		 "%llu messages could not be sent to the journal (%s) and went to syslog instead; %llu in all",
		 (unsigned long long)lg.journal_failed,
		 strerror(lg.journal_errno),
		 (unsigned long long)lg.journal_failed_total);
	lg.journal_failed = 0;
	write_own(LOG_WARNING, text);
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lg.lock);
	for (;;) {
		struct item *it = lg.head;
		uint64_t dropped, failed;

		if (!it) {
			if (lg.stopping)
				break;
			pthread_cond_wait(&lg.cond, &lg.lock);
			continue;
		}
		lg.head = it->next;
		if (!lg.head)
			lg.tail = NULL;
		lg.len--;
		pthread_cond_signal(&lg.room);
		dropped = lg.dropped;
		lg.dropped = 0;
		pthread_mutex_unlock(&lg.lock);

		failed = lg.journal_failed;
		write_item(it);
		free_item(it);
		if (failed && lg.journal_failed == failed)
			report_journal_failures();
		if (dropped) {
			char text[256];

			snprintf(text, sizeof(text),
				 "%llu reports dropped: syslog could not keep up (queue of %u full); every race is still counted in the exit summary",
				 (unsigned long long)dropped, lg.max_len);
			write_own(LOG_WARNING, text);
		}
		pthread_mutex_lock(&lg.lock);
	}
	pthread_mutex_unlock(&lg.lock);
	report_journal_failures();
	return NULL;
}

int logger_init(enum logger_sink sink, unsigned int queue_len,
		unsigned int syslog_max)
{
	lg.sink = sink;
	lg.stopping = lg.blocking = false;
	lg.dropped = 0;
	lg.max_len = queue_len;
	lg.syslog_max = syslog_max;
	if (sink == LOGGER_SYSLOG) {
		openlog("racetrapd", LOG_PID, LOG_DAEMON);
#if HAVE_SYSTEMD
		/* Only where journald runs; everywhere else plain syslog. */
		lg.journal = access(JOURNAL_SOCKET, F_OK) == 0;
#endif
	}
	if (pthread_create(&lg.thread, NULL, writer, NULL)) {
		if (sink == LOGGER_SYSLOG)
			closelog();
		return -1;
	}
	lg.running = true;
	return 0;
}

void logger_set_json(bool json)
{
	pthread_mutex_lock(&lg.lock);
	lg.json = json;
	pthread_mutex_unlock(&lg.lock);
}

uint64_t logger_journal_failures(void)
{
	return lg.journal_failed_total;
}

void logger_configure(unsigned int queue_len, unsigned int syslog_max)
{
	pthread_mutex_lock(&lg.lock);
	lg.max_len = queue_len;
	lg.syslog_max = syslog_max;
	pthread_mutex_unlock(&lg.lock);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static void enqueue(int priority, const char *text, const char *tag,
		    const char *fields)
{
	struct item *it;

	if (!lg.running) {
		fprintf(stderr, "%s\n", text);
		return;
	}
	it = calloc(1, sizeof(*it));
	if (it) {
		it->priority = priority;
		it->text = strdup(text);
		it->tag = dup_or_null(tag);
		it->fields = dup_or_null(fields);
		if (!it->text) {
			free_item(it);
			it = NULL;
		}
	}
	pthread_mutex_lock(&lg.lock);
	while (it && lg.blocking && lg.len >= lg.max_len)
		pthread_cond_wait(&lg.room, &lg.lock);
	if (!it || lg.len >= lg.max_len) {
		lg.dropped++;
		pthread_mutex_unlock(&lg.lock);
		if (it)
			free_item(it);
		return;
	}
	if (lg.tail)
		lg.tail->next = it;
	else
		lg.head = it;
	lg.tail = it;
	lg.len++;
	pthread_cond_signal(&lg.cond);
	pthread_mutex_unlock(&lg.lock);
}

void logger_emit(void *arg, const struct rt_report *r)
{
	struct rt_strbuf text, fields;
	bool json;

	(void)arg;
	pthread_mutex_lock(&lg.lock);
	json = lg.json;
	pthread_mutex_unlock(&lg.lock);
	rt_strbuf_init(&text);
	rt_strbuf_init(&fields);
	if (json)
		rt_render_json(&text, r);
	else
		rt_render_text(&text, r);
	rt_render_journal(&fields, r);
	/* A report cut short by a failed allocation is not logged. */
	if (!text.oom && !fields.oom)
		enqueue(r->priority, rt_strbuf_str(&text),
			rt_report_fingerprint(r), rt_strbuf_str(&fields));
	rt_strbuf_free(&text);
	rt_strbuf_free(&fields);
}

void logger_msg(int priority, const char *fmt, ...)
{
	struct rt_strbuf b;
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/*
	 * A message is one line of racetrapd's own, but it quotes what a
	 * target controls (its comm, its mappings' paths): no control
	 * character of theirs reaches a log read on a terminal.
	 */
	rt_strip_controls(text);
	rt_strbuf_init(&b);
	pthread_mutex_lock(&lg.lock);
	format_msg(&b, priority, text);
	pthread_mutex_unlock(&lg.lock);
	enqueue(priority, rt_strbuf_str(&b), NULL, NULL);
	rt_strbuf_free(&b);
}

void logger_set_blocking(void)
{
	pthread_mutex_lock(&lg.lock);
	lg.blocking = true;
	pthread_mutex_unlock(&lg.lock);
}

void logger_fini(void)
{
	if (!lg.running)
		return;
	pthread_mutex_lock(&lg.lock);
	lg.stopping = true;
	pthread_cond_signal(&lg.cond);
	pthread_mutex_unlock(&lg.lock);
	pthread_join(lg.thread, NULL);
	lg.running = false;
	if (lg.sink == LOGGER_SYSLOG)
		closelog();
}
