// SPDX-License-Identifier: GPL-2.0
/* logger: a bounded queue in front of syslog or the journal. */
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

#include "logger.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

struct item {
	struct item *next;
	int priority;
	pid_t pid;
	char *text;
	char *fingerprint, *site_a, *site_b;	/* NULL when absent */
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
} lg = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.room = PTHREAD_COND_INITIALIZER,
};

static void free_item(struct item *it)
{
	free(it->text);
	free(it->fingerprint);
	free(it->site_a);
	free(it->site_b);
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

static void write_journal(const struct item *it)
{
	struct iovec iov[8];
	char *f[8];
	int n = 0, i;

	if (field(f, &n, "MESSAGE=%s", it->text) ||
	    field(f, &n, "PRIORITY=%d", it->priority) ||
	    field(f, &n, "SYSLOG_IDENTIFIER=racetrapd") ||
	    field(f, &n, "SYSLOG_FACILITY=%d", LOG_DAEMON >> 3) ||
	    (it->pid > 0 && field(f, &n, "RACETRAP_PID=%d", (int)it->pid)) ||
	    (it->fingerprint &&
	     field(f, &n, "RACETRAP_FINGERPRINT=%s", it->fingerprint)) ||
	    (it->site_a && field(f, &n, "RACETRAP_SITE_A=%s", it->site_a)) ||
	    (it->site_b && field(f, &n, "RACETRAP_SITE_B=%s", it->site_b)))
		goto out;
	for (i = 0; i < n; i++)
		iov[i] = (struct iovec){ f[i], strlen(f[i]) };
	sd_journal_sendv(iov, n);
out:
	for (i = 0; i < n; i++)
		free(f[i]);
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
	const char *tag = it->fingerprint ? it->fingerprint : "report";
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
		write_journal(it);
		return;
	}
#endif
	write_syslog(it);
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lg.lock);
	for (;;) {
		struct item *it = lg.head;
		uint64_t dropped;

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

		write_item(it);
		free_item(it);
		if (dropped) {
			struct item d = { .priority = LOG_WARNING };
			char text[256];

			snprintf(text, sizeof(text),
				 "racetrapd: %llu reports dropped: syslog could not keep up (queue of %u full); every race is still counted in the exit summary",
				 (unsigned long long)dropped, lg.max_len);
			d.text = text;
			write_item(&d);
		}
		pthread_mutex_lock(&lg.lock);
	}
	pthread_mutex_unlock(&lg.lock);
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

static void enqueue(int priority, pid_t pid, const char *text,
		    const struct rt_report_fields *f)
{
	struct item *it;

	if (!lg.running) {
		fprintf(stderr, "%s\n", text);
		return;
	}
	it = calloc(1, sizeof(*it));
	if (it) {
		it->priority = priority;
		it->pid = pid;
		it->text = strdup(text);
		if (f) {
			it->fingerprint = dup_or_null(f->fingerprint);
			it->site_a = dup_or_null(f->site_a);
			it->site_b = dup_or_null(f->site_b);
		}
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

void logger_emit(void *arg, enum rt_report_kind kind, int priority,
		 const char *text, const struct rt_report_fields *fields)
{
	(void)arg;
	(void)kind;
	enqueue(priority, fields ? fields->pid : 0, text, fields);
}

void logger_msg(int priority, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n;

	n = snprintf(text, sizeof(text), "racetrapd: ");
	va_start(ap, fmt);
	vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
	va_end(ap);
	enqueue(priority, 0, text, NULL);
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
