// SPDX-License-Identifier: GPL-2.0
/* session_run: the CLI's loop around one session (racetrapd has its own). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "session_priv.h"

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
