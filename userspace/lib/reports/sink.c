// SPDX-License-Identifier: GPL-2.0
/* sink: what every producer of reports shares when it hands one over. */
#include <stdio.h>

#include "sink.h"

void rt_sink_vstatus(rt_sink_fn sink, void *arg, int priority, pid_t pid,
		     const char *comm, const char *event, uint64_t count,
		     const char *fmt, va_list ap)
{
	struct rt_status_view v = {
		.event = event, .comm = comm, .pid = pid, .count = count,
	};
	char msg[1024];

	if (!sink)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Status lines quote the target's mappings' paths. */
	rt_strip_controls(msg);
	v.message = msg;
	sink(arg, &(struct rt_report){
		.kind = RT_REPORT_STATUS, .priority = priority, .pid = pid,
		.status = &v,
	});
}
