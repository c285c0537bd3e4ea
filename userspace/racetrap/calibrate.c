// SPDX-License-Identifier: GPL-2.0
/*
 * racetrap calibrate: measure what a context switch costs a thread that
 * holds an execute breakpoint here, and with --write set the module's
 * price for it (bp_switch_ns) to the measured bound, so that the budget
 * charges what this host, bare metal or a VM whose hypervisor traps
 * debug-register writes, really pays.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpswitch.h"
#include "cli.h"
#include "stats.h"

#define PARAM "/sys/module/racetrap/parameters/bp_switch_ns"
#define MAX_PAIRS 1000

/* Long options only; values past 127 so rt_getopt_culprit() names them. */
enum { OPT_PAIRS = 256, OPT_ROUNDS, OPT_WRITE };

static void usage(void)
{
	printf("Usage: %s calibrate [options]\n\n", prog);
	printf("Measure what a context switch costs a thread holding an execute\n"
	       "breakpoint on this machine, the cost racetrap.ko charges to the\n"
	       "budget at bp_switch_ns per switch, with threads on one CPU and on\n"
	       "two, and print each with its 95%% interval.  Needs\n"
	       "perf_event_open() on its own threads (root, or CAP_PERFMON, or\n"
	       "kernel.perf_event_paranoid <= 2).\n\nOptions:\n");
	printf("  %-24s %s\n", "--pairs N",
	       "pairs of runs, bare and armed (1..1000, default 10)");
	printf("  %-24s %s\n", "--rounds N",
	       "round trips per run (100..10000000, default 10000)");
	printf("  %-24s %s\n", "--write",
	       "set bp_switch_ns to the higher upper end (root)");
	printf("  %-24s %s\n", "-h, --help", "this text");
	printf("\nExit status: 0 ok, 1 error, 2 usage.\n");
}

/* The module's current price, or -1 when it is not loaded. */
static long long param_read(void)
{
	FILE *f = fopen(PARAM, "re");
	long long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Why the parameter cannot be written, @err an errno. */
static void param_unwritable(int err)
{
	cli_error("%s: %s%s", PARAM, strerror(err),
		  err == ENOENT ? " (is racetrap.ko loaded?)" : "");
}

static int param_write(unsigned long long v)
{
	FILE *f = fopen(PARAM, "we");
	int ret = 0;

	if (!f) {
		param_unwritable(errno);
		return -1;
	}
	if (fprintf(f, "%llu\n", v) < 0)
		ret = errno ? errno : EIO;
	if (fclose(f) && !ret)
		ret = errno ? errno : EIO;
	if (ret) {
		cli_error("%s: writing %llu: %s", PARAM, v, strerror(ret));
		return -1;
	}
	return 0;
}

/* The first two CPUs this process may run on; cpus[1] -1 if one only. */
static int pick_cpus(int cpus[2])
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	cpus[0] = cpus[1] = -1;
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[n++] = cpu;
	return 0;
}

int cmd_calibrate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pairs", required_argument, NULL, OPT_PAIRS },
		{ "rounds", required_argument, NULL, OPT_ROUNDS },
		{ "write", no_argument, NULL, OPT_WRITE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long pairs = 10, rounds = 10000, bound;
	double samples[MAX_PAIRS], mean, half, hi = 0;
	int cpus[2], i;
	char err[512], culprit[3];
	long long before;
	bool write = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PAIRS:
			if (rt_parse_uint("--pairs", optarg, 1, MAX_PAIRS, NULL,
					  &pairs, err, sizeof(err)))
				return cli_usage_error("calibrate", "%s", err);
			break;
		case OPT_ROUNDS:
			if (rt_parse_uint("--rounds", optarg, 100, 10000000,
					  NULL, &rounds, err, sizeof(err)))
				return cli_usage_error("calibrate", "%s", err);
			break;
		case OPT_WRITE:
			write = true;
			break;
		case 'h':
			usage();
			return EXIT_OK;
		case ':':
			return cli_usage_error("calibrate", "%s needs a value",
					       rt_getopt_culprit(argv, culprit));
		default:
			return cli_usage_error("calibrate", "unknown option '%s'",
					       rt_getopt_culprit(argv, culprit));
		}
	}
	if (optind < argc)
		return cli_usage_error("calibrate", "unexpected '%s'",
				       argv[optind]);
	/* Before measuring: a price that cannot be set is not worth it. */
	if (write && access(PARAM, W_OK)) {
		param_unwritable(errno);
		return EXIT_ERROR;
	}

	if (pick_cpus(cpus)) {
		cli_error("calibrate: sched_getaffinity: %s", strerror(errno));
		return EXIT_ERROR;
	}
	/* Both placements where there are two CPUs; the dearer bound. */
	for (i = 0; i < 2 && (i == 0 || cpus[1] >= 0); i++) {
		if (rt_bpswitch_measure((unsigned int)pairs, (unsigned long)rounds,
					cpus[0], i ? cpus[1] : cpus[0],
					samples, err, sizeof(err))) {
			cli_error("calibrate: %s", err);
			return EXIT_ERROR;
		}
		rt_mean_interval95(samples, (size_t)pairs, &mean, &half);
		printf("context switch holding an execute breakpoint, threads on %s: %+.0f ns [%+.0f, %+.0f] (95%%, %llu pairs of %llu round trips)\n",
		       i ? "two CPUs" : "one CPU", mean, mean - half,
		       mean + half, pairs, rounds);
		hi = i ? fmax(hi, mean + half) : mean + half;
	}
	/* The budget charges bounds: the upper end, at least 0. */
	bound = hi > 0 ? (unsigned long long)ceil(hi) : 0;
	if (bound > 0xffffffffULL)
		bound = 0xffffffffULL;
	before = param_read();
	if (write) {
		if (param_write(bound))
			return EXIT_ERROR;
		printf("bp_switch_ns: %lld -> %llu\n", before, bound);
	} else if (before >= 0) {
		printf("bp_switch_ns: %lld now, %llu measured (--write sets it)\n",
		       before, bound);
	} else {
		printf("bp_switch_ns: %llu measured (racetrap.ko not loaded)\n",
		       bound);
	}
	return EXIT_OK;
}
