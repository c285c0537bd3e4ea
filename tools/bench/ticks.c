// SPDX-License-Identifier: GPL-2.0
/*
 * ticks: a workload's throughput per tick, for the bench's toggled
 * measurement (guest.sh's toggle part).  Every tick (default 100 ms) it
 * prints "SECONDS COUNT": the end of the tick on CLOCK_BOOTTIME (the clock
 * of /proc/uptime, which the guest script stamps its attaches with) and
 * the operations done during the tick.  It runs as its own process, which
 * racetrap does not watch, and reads:
 *
 *   ticks [-i MS] -t SECONDS file PATH       the counters a C or Go
 *                                            workload keeps in PATH (-i)
 *   ticks [-i MS] -t SECONDS memcached PORT  memcached's cmd_get + cmd_set
 *   ticks [-i MS] -t SECONDS redis PORT      redis' total_commands_processed
 *
 * A server is asked on 127.0.0.1 over one connection kept open: the one
 * request per tick is noise next to the load generator's thousands.
 * It stops after SECONDS, or when the server closes the connection.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The workloads' counter stride (workloads/common.c): one cache line. */
#define COUNTER_STRIDE 8

enum source { SRC_FILE, SRC_MEMCACHED, SRC_REDIS };

static const char *prog = "ticks";

static void usage(void)
{
	fprintf(stderr, "usage: %s [-i MS] -t SECONDS file PATH | memcached PORT | redis PORT\n",
		prog);
	exit(2);
}

static double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The file's counters; they are only read here, one aligned word each. */
static const volatile uint64_t *map_counters(const char *path, size_t *n)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || st.st_size < (off_t)(COUNTER_STRIDE * 8)) {
		fprintf(stderr, "%s: %s: no counters\n", prog, path);
		exit(1);
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	close(fd);
	*n = st.st_size / (COUNTER_STRIDE * 8);
	return p;
}

static int connect_local(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "%s: 127.0.0.1:%d: %s\n", prog, port, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Reads until @end appears in the reply; false if the server went away. */
static int read_reply(int fd, char *buf, size_t len, const char *end)
{
	size_t have = 0;

	while (have < len - 1) {
		ssize_t r = read(fd, buf + have, len - 1 - have);

		if (r <= 0)
			return 0;
		have += r;
		buf[have] = 0;
		if (strstr(buf, end))
			return 1;
	}
	return 0;
}

/* The number right after @key in @text ("STAT key N" or "key:N"). */
static uint64_t number_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static int server_count(enum source src, int fd, uint64_t *count)
{
	static char buf[16384];
	const char *req = src == SRC_MEMCACHED ? "stats\r\n" : "INFO stats\r\n";

	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		return 0;
	if (src == SRC_MEMCACHED) {
		if (!read_reply(fd, buf, sizeof(buf), "END\r\n"))
			return 0;
		*count = number_after(buf, "STAT cmd_get ") +
			 number_after(buf, "STAT cmd_set ");
	} else {
		/* A bulk string; its last section ends with a blank line. */
		if (!read_reply(fd, buf, sizeof(buf), "\r\n\r\n"))
			return 0;
		*count = number_after(buf, "total_commands_processed:");
	}
	return 1;
}

static void sleep_until(double t)
{
	double d = t - boottime();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	const volatile uint64_t *counters = NULL;
	double interval = 0.1, seconds = 0, start, next;
	enum source src;
	uint64_t last = 0, now;
	size_t n = 0;
	char *end;
	int c, fd = -1;

	while ((c = getopt(argc, argv, "i:t:")) != -1) {
		switch (c) {
		case 'i':
			interval = strtod(optarg, &end) / 1000;
			if (*end || interval < 0.01 || interval > 10)
				usage();
			break;
		case 't':
			seconds = strtod(optarg, &end);
			if (*end || seconds <= 0 || seconds > 86400)
				usage();
			break;
		default:
			usage();
		}
	}
	if (seconds <= 0 || optind + 2 != argc)
		usage();
	if (!strcmp(argv[optind], "file")) {
		src = SRC_FILE;
		counters = map_counters(argv[optind + 1], &n);
	} else {
		long port = strtol(argv[optind + 1], &end, 10);

		if (*end || port < 1 || port > 65535)
			usage();
		if (!strcmp(argv[optind], "memcached"))
			src = SRC_MEMCACHED;
		else if (!strcmp(argv[optind], "redis"))
			src = SRC_REDIS;
		else
			usage();
		fd = connect_local((int)port);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	start = next = boottime();
	for (;;) {
		if (src == SRC_FILE) {
			now = 0;
			for (size_t i = 0; i < n; i++)
				now += counters[i * COUNTER_STRIDE];
		} else if (!server_count(src, fd, &now)) {
			break;
		}
		if (next > start)
			printf("%.3f %llu\n", boottime(), (unsigned long long)(now - last));
		last = now;
		if (next - start >= seconds)
			break;
		next += interval;
		sleep_until(next);
	}
	return 0;
}
