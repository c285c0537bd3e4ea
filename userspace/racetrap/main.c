// SPDX-License-Identifier: GPL-2.0
/* racetrap: find data races in running processes.  Dispatches subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "version.h"

const char *prog = "racetrap";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
} commands[] = {
	{ "attach", cmd_attach, "Sample a running process and print race reports" },
	{ "run", cmd_run, "Run a command under sampling from its first instruction" },
	{ "status", cmd_status, "List sampled processes and their counters" },
	{ "calibrate", cmd_calibrate, "Measure and set the budget's price of a breakpoint's context switch" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<args>]\n\n", prog);
	fprintf(f, "Find data races in running, unmodified processes (needs racetrap.ko).\n\n");
	fprintf(f, "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].description);
	fprintf(f, "\n'%s <command> --help' shows a command's options;\n"
		"'%s --version' the release and ABI version.\n", prog, prog);
	fprintf(f, "Exit status: 0 ok, 1 error, 2 usage (run: the command's own status).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		char mod[64];

		printf("racetrap %s (ABI version %d)\nracetrap.ko: %s\n",
		       rt_version, RACETRAP_ABI_VERSION,
		       rt_module_version(mod, sizeof(mod)));
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: '%s' is not a command\n", prog, argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
