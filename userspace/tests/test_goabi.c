// SPDX-License-Identifier: GPL-2.0
/*
 * goabi: a live Go process gets the goroutine stack bounds (R14, offset
 * 0), a live C process and a process that is gone leave the config alone.
 */
#include "goabi.h"
#include "goctx.h"
#include "kapi.h"
#include "testlib.h"

static void check_live(const char *name, bool want_go)
{
	struct racetrap_config cfg = { .stack_off = 7 };
	struct test_proc p;
	char path[PATH_MAX], what[64];
	bool go;

	snprintf(what, sizeof(what), "%s_%s", name, want_go ? "go" : "not_go");
	if (test_data_path(name, path, sizeof(path)) ||
	    test_proc_start(path, &p)) {
		ktap_diag("cannot run %s", name);
		ktap_result(false, what);
		return;
	}
	go = rt_goctx_configure(p.pid, &cfg, false, false, NULL);
	test_proc_stop(&p);
	if (want_go)
		ktap_result(go && cfg.stack_reg == RACETRAP_REG_R14 &&
			    cfg.stack_off == 0, what);
	else
		ktap_result(!go && cfg.stack_reg == RACETRAP_REG_NONE &&
			    cfg.stack_off == 7, what);
}

static void check_gone(void)
{
	struct racetrap_config cfg = { 0 };
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	ktap_result(!rt_goctx_configure(pid, &cfg, false, false, NULL) &&
		    cfg.stack_reg == RACETRAP_REG_NONE, "gone_process");
}

int main(void)
{
	ktap_start(3);
	check_live("sample_go", true);
	check_live("sample_c", false);
	check_gone();
	return ktap_finish();
}
