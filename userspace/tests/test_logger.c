// SPDX-License-Identifier: GPL-2.0
/*
 * racetrapd's logger when syslog is slow: emitting never blocks, what the
 * bounded queue cannot hold is counted, and the count is logged, so every
 * report is either written or counted (none lost silently); in blocking
 * mode (the exit summary) nothing is dropped.  The sink is a pipe that
 * nobody reads until the test says so.  Then, where journald runs (a
 * socket at its path, faked in a private mount namespace), a report goes
 * to the journal with its structured fields, and a message the journal
 * refuses is counted (and sent to syslog).  With the json option the
 * daemon's own lines are JSON objects; without it, a control character
 * a target put in its comm reaches the log as '?'.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include <selftests/lib/ktap.h>

/* The daemon's logger is not in the library: test its source directly. */
#include "../racetrapd/logger.c"

#define QUEUE 16
#define N 100

static int pipe_fd[2];
static char captured[1 << 20];
static size_t captured_len;

static void *drain(void *arg)
{
	ssize_t n;

	(void)arg;
	while ((n = read(pipe_fd[0], captured + captured_len,
			 sizeof(captured) - 1 - captured_len)) > 0)
		captured_len += (size_t)n;
	captured[captured_len] = '\0';
	return NULL;
}

/* A status report saying @text (rendered "racetrap: TEXT"). */
static void emit_status(int priority, const char *text)
{
	struct rt_status_view v = {
		.event = "test", .comm = "test", .message = text,
	};

	logger_emit(NULL, &(struct rt_report){
		.kind = RT_REPORT_STATUS, .priority = priority, .status = &v,
	});
}

#define EMIT_WATCHDOG_S 120

static void emit_blocked(int sig)
{
	static const char msg[] =
		"not ok 1 emit_never_blocks_on_a_stuck_syslog\n"
		"# still emitting after the watchdog's 120 s\n";

	ssize_t r;

	(void)sig;
	/* stderr is the stuck pipe: say it on stdout, async-signal-safe. */
	r = write(1, msg, sizeof(msg) - 1);
	(void)r;
	_exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#if HAVE_SYSTEMD
/* A journald socket in a private mount namespace; -1 if that is denied. */
static int fake_journal(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	mkdir("/run/systemd", 0755);
	if (mount("tmpfs", "/run/systemd", "tmpfs", 0, NULL) ||
	    mkdir("/run/systemd/journal", 0755))
		return -1;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", JOURNAL_SOCKET);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

static void check_journal(void)
{
	struct racetrap_record rec = { .type = RACETRAP_REC_HIT };
	struct rt_side_view trapped = { .role = "trapped", .site = "c1cd+0x1340" };
	struct rt_side_view sampled = { .role = "sampled", .site = "c1cd+0x1320" };
	struct rt_race_view v = {
		.rec = &rec, .fingerprint = "e8d72469c78a7545", .comm = "bank",
		.pid = 4242, .time = "2025-01-01T00:00:00.000Z",
		.trapped = &trapped, .sampled = &sampled,
	};
	struct rt_report race = {
		.kind = RT_REPORT_RACE, .priority = LOG_WARNING, .pid = 4242,
		.race = &v,
	};
	char dgram[8192];
	ssize_t n;
	int fd = fake_journal();

	if (fd < 0) {
		ktap_skip("journal_gets_structured_fields",
			  "no private mount namespace (not root?)");
		return;
	}
	logger_init(LOGGER_SYSLOG, QUEUE, 0);
	logger_emit(NULL, &race);
	logger_fini();
	n = recv(fd, dgram, sizeof(dgram) - 1, 0);
	dgram[n > 0 ? n : 0] = '\0';
	if (n > 0)
		for (ssize_t i = 0; i < n; i++)
			if (!dgram[i])
				dgram[i] = ' ';	/* MESSAGE's binary length */
	ktap_result(n > 0 && strstr(dgram, "WARNING: DATA RACE\n  Access of size") &&
		    strstr(dgram, "PRIORITY=4\n") &&
		    strstr(dgram, "SYSLOG_IDENTIFIER=racetrapd\n") &&
		    strstr(dgram, "RACETRAP_FINGERPRINT=e8d72469c78a7545\n") &&
		    strstr(dgram, "RACETRAP_PID=4242\n") &&
		    strstr(dgram, "RACETRAP_SITE_A=c1cd+0x1320\n") &&
		    strstr(dgram, "RACETRAP_SITE_B=c1cd+0x1340\n"),
		    "journal_gets_structured_fields");
	if (n <= 0)
		ktap_diag("nothing reached the fake journal");
	/* The socket file stays, nobody listens: every send fails. */
	close(fd);
	logger_init(LOGGER_SYSLOG, QUEUE, 0);
	logger_emit(NULL, &race);
	logger_emit(NULL, &race);
	logger_fini();
	/* Two reports, then the writer's own line saying so, refused too. */
	ktap_result(logger_journal_failures() >= 2, "journal_failures_counted");
	if (logger_journal_failures() < 2)
		ktap_diag("%llu journal failures counted, want 2 or more",
			  (unsigned long long)logger_journal_failures());
}
#else
static void check_journal(void)
{
	ktap_skip("journal_gets_structured_fields", "built without libsystemd");
	ktap_skip("journal_failures_counted", "built without libsystemd");
}
#endif

/* What logger_msg() writes to stderr for @text, as JSON or as text. */
static void daemon_line(bool json, const char *text, char *buf, size_t len)
{
	char path[] = "/tmp/racetrap-logger-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	dup2(fd, 2);
	logger_init(LOGGER_STDERR, QUEUE, 0);
	logger_set_json(json);
	logger_msg(LOG_INFO, "%s", text);
	logger_fini();
	logger_set_json(false);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

/* The json option: the daemon's own lines are JSON objects. */
static void check_json_lines(void)
{
	const char *want = "{\"type\":\"daemon\",\"priority\":\"info\","
		"\"message\":\"started: \\\"bank\\\"\"}\n";
	char buf[512];

	daemon_line(true, "started: \"bank\"", buf, sizeof(buf));
	if (strcmp(buf, want))
		ktap_diag("got '%s', want '%s'", buf, want);
	ktap_result(!strcmp(buf, want), "daemon_lines_json");
}

static void check_control_chars(void)
{
	char buf[512];

	daemon_line(false, "cannot sample pid 7 (a\x1b[2J\rb): gone", buf,
		    sizeof(buf));
	EXPECT_TRUE(strstr(buf, "(a?[2J?b): gone") && !strchr(buf, '\x1b') &&
		    !strchr(buf, '\r'), "daemon_lines_no_control_chars",
		    "got '%s'", buf);
}

int main(void)
{
	char filler[4096], text[64];
	unsigned long long dropped = 0;
	int saved_stderr, i, written_first = 0, written_second = 0;
	pthread_t reader;
	const char *p;
	double t;

	ktap_start(9);
	memset(filler, '.', sizeof(filler));
	if (pipe(pipe_fd) || fcntl(pipe_fd[1], F_SETFL, O_NONBLOCK))
		return 1;
	/* A full pipe: the writer thread blocks on its first report, as
	 * on a syslog that does not read. */
	while (write(pipe_fd[1], filler, sizeof(filler)) > 0)
		;
	fcntl(pipe_fd[1], F_SETFL, 0);
	saved_stderr = dup(2);
	dup2(pipe_fd[1], 2);

	logger_init(LOGGER_STDERR, QUEUE, 0);
	/* Nothing reads the pipe meanwhile: an emit that blocked would
	 * never return, and the watchdog fails the test instead. */
	signal(SIGALRM, emit_blocked);
	alarm(EMIT_WATCHDOG_S);
	t = now();
	for (i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "report %d;", i);
		emit_status(LOG_WARNING, text);
	}
	t = now() - t;
	alarm(0);
	ktap_diag("%d emits on a stuck syslog returned in %.3f s", N, t);
	ktap_result(true, "emit_never_blocks_on_a_stuck_syslog");

	/* The exit summary: wait for room instead of dropping. */
	logger_set_blocking();
	pthread_create(&reader, NULL, drain, NULL);
	for (i = N; i < 2 * N; i++) {
		snprintf(text, sizeof(text), "report %d;", i);
		emit_status(LOG_INFO, text);
	}
	logger_fini();
	dup2(saved_stderr, 2);
	close(pipe_fd[1]);
	pthread_join(reader, NULL);

	for (i = 0; i < 2 * N; i++) {
		snprintf(text, sizeof(text), "report %d;", i);
		if (strstr(captured, text))
			i < N ? written_first++ : written_second++;
	}
	/*
	 * The writer reports the drops since its last report after each
	 * item it writes, so there may be several reports: add them up.
	 * (Reports that fit in the pipe's last free bytes are written
	 * before the writer blocks, and drops can come in between.)
	 */
	p = strstr(captured, "racetrapd: ");
	for (const char *q = p; q; q = strstr(q + 1, "racetrapd: "))
		dropped += strtoull(q + strlen("racetrapd: "), NULL, 10);
	ktap_diag("%d written, %llu counted as dropped, %d written in blocking mode",
		  written_first, dropped, written_second);
	ktap_result(p && strstr(p, "reports dropped: syslog could not keep up"),
		    "drops_are_reported");
	ktap_result(dropped > 0 && written_first + dropped == N,
		    "every_report_written_or_counted");
	ktap_result(written_first <= QUEUE + 1, "queue_is_bounded");
	ktap_result(written_second == N, "blocking_mode_drops_nothing");
	check_json_lines();
	check_control_chars();
	check_journal();
	return ktap_finish();
}
