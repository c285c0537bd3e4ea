// SPDX-License-Identifier: GPL-2.0
/*
 * The clock trigger's pre-check follows the module's rule: where perf
 * refuses the proof event (here a seccomp filter fails perf_event_open
 * with EACCES, as Debian's perf_event_paranoid 3 does for all but
 * CAP_SYS_ADMIN), a caller with CAP_PERFMON is still allowed, as
 * racetrapd.service's is, and one without is not.  Needs root's
 * capabilities to drop; skipped without them.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "perfperm.h"
#include "testlib.h"

enum { PROOF_REFUSED = 1, ALLOWED_WITH_PERFMON = 2, REFUSED_WITHOUT = 4,
       NO_CAPS = 64 };

static int get_caps(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &h, d);
}

static int set_caps(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capset, &h, d);
}

/* In a child: the results as bits of its exit status. */
static int child(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_perf_event_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	struct __user_cap_data_struct d[2];
	int r = 0;

	if (get_caps(d) ||
	    !(d[CAP_TO_INDEX(CAP_PERFMON)].effective & CAP_TO_MASK(CAP_PERFMON)))
		return NO_CAPS;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return NO_CAPS;
	if (rt_perf_proof_open(getpid()) < 0 && errno == EACCES)
		r |= PROOF_REFUSED;
	if (rt_perf_allowed(getpid()))
		r |= ALLOWED_WITH_PERFMON;
	d[CAP_TO_INDEX(CAP_PERFMON)].effective &= ~CAP_TO_MASK(CAP_PERFMON);
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (!set_caps(d) && !rt_perf_allowed(getpid()))
		r |= REFUSED_WITHOUT;
	return r;
}

int main(void)
{
	int st = -1, r;
	pid_t pid;

	ktap_start(3);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(child());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		ktap_diag("the child did not finish");
		st = 0;
	}
	r = WEXITSTATUS(st);
	if (r == NO_CAPS) {
		ktap_skip_rest("no CAP_PERFMON to drop, or no seccomp, here");
		return ktap_finish();
	}
	ktap_result(r & PROOF_REFUSED, "seccomp_refuses_the_proof_event");
	ktap_result(r & ALLOWED_WITH_PERFMON, "clock_allowed_with_cap_perfmon");
	ktap_result(r & REFUSED_WITHOUT, "clock_refused_without_it");
	return ktap_finish();
}
