// SPDX-License-Identifier: GPL-2.0
/*
 * session_statusfile: what a session tells `racetrap status` through its
 * status file (statusfile.h): who samples whom, the kernel's counters and
 * the analyzer's.
 */
#include <stdio.h>
#include <unistd.h>

#include "procstat.h"
#include "sides.h"
#include "session_priv.h"
#include "statusfile.h"

/*
 * The target's CPU time (all threads, exited ones included), from
 * /proc/PID/stat's utime and stime; 0 if it cannot be read.  For the
 * status file only: the kernel keeps the budget from its own figure.
 */
uint64_t session_target_cpu_ns(pid_t pid)
{
	unsigned long long t[2];	/* utime, stime */
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0 || !rt_proc_stat_fields(pid, 14, 2, t))
		return 0;
	return (t[0] + t[1]) * (1000000000ULL / (unsigned long long)hz);
}

void session_write_status(struct rt_session *s)
{
	struct rt_analyzer_counts ac;
	struct racetrap_stats st;
	char text[8192], owner[64];
	size_t o = 0;
	unsigned int i;
	uint64_t cpu;

	rt_read_comm(getpid(), 0, owner, sizeof(owner));
	o += (size_t)snprintf(text + o, sizeof(text) - o,
			      "owner %d\nowner_comm %s\ntarget %d\ncomm %s\nstarted %lld\nupdated %lld\n",
			      (int)getpid(), owner, (int)s->pid, s->comm,
			      (long long)s->started, (long long)time(NULL));
	cpu = session_target_cpu_ns(s->pid);
	o += (size_t)snprintf(text + o, sizeof(text) - o,
			      "budget_ppm %u\ntarget_cpu_ns %llu\n",
			      s->opts.kcfg.budget_ppm,
			      (unsigned long long)(cpu > s->cpu_at_attach_ns ?
						   cpu - s->cpu_at_attach_ns : 0));
	if (rt_kapi_stats(&s->k, &st) == 0) {
		for (i = 0; i < st.nr_counters && i < RACETRAP_STATS_MAX; i++) {
			const char *name = rt_kapi_stat_name(i);
			char unnamed[32];

			if (!name) {
				snprintf(unnamed, sizeof(unnamed), "stat%u", i);
				name = unnamed;
			}
			o += (size_t)snprintf(text + o, sizeof(text) - o,
					      "stat %s %llu\n", name,
					      (unsigned long long)st.counters[i]);
		}
	}
	rt_analyzer_counts(s->an, &ac);
	snprintf(text + o, sizeof(text) - o,
		 "count analyzed %llu\ncount races %llu\ncount repeats %llu\n"
		 "count unseen_writers %llu\ncount filtered_runtime %llu\n"
		 "count suppressed %llu\ncount records_lost %llu\n"
		 "count hits_atomic %llu\ncount atomic_unseen %llu\n"
		 "count unwatched_unseen %llu\ncount hits_unattributed %llu\n"
		 "count hits_overread %llu\ncount hits_read_read %llu\n",
		 (unsigned long long)ac.records, (unsigned long long)ac.races,
		 (unsigned long long)ac.repeats,
		 (unsigned long long)ac.unseen_writers,
		 (unsigned long long)ac.filtered_runtime,
		 (unsigned long long)ac.suppressed, (unsigned long long)ac.lost,
		 (unsigned long long)ac.hits_atomic,
		 (unsigned long long)ac.atomic_unseen,
		 (unsigned long long)ac.unwatched_unseen,
		 (unsigned long long)ac.hits_unattributed,
		 (unsigned long long)ac.hits_overread,
		 (unsigned long long)ac.hits_read_read);
	/* Best effort: status is a convenience, never a reason to stop. */
	if (rt_status_write(s->pid, text) == 0)
		s->status_written = true;
}
