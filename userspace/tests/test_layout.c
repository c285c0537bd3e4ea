// SPDX-License-Identifier: GPL-2.0
/*
 * The library's layout keeps its two flows apart (Documentation/design.rst,
 * "Userspace layout"): no include cycle between its files (X.c, X.h and
 * X_priv.h count as one unit X), and each folder includes only from its own rank or
 * below: common/ < sites/ < reports/ < lib/'s top < session/.  So the
 * site-table flow never depends on the report flow, and neither on the
 * session that drives them.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define MAX_UNITS 128
#define MAX_EDGES 32

/* Folders under userspace/lib, lowest rank first. */
static const char *const dirs[] = { "common", "sites", "reports", "", "session" };
#define NR_DIRS (sizeof(dirs) / sizeof(dirs[0]))

struct unit {
	char name[64];		/* file name without .c/.h */
	int rank;		/* index in dirs[] */
	int deps[MAX_EDGES];	/* units it includes */
	int nr_deps;
	int mark;		/* DFS: 0 new, 1 on the stack, 2 done */
};

static struct unit units[MAX_UNITS];
static int nr_units;

static int unit_of(const char *name)
{
	for (int i = 0; i < nr_units; i++)
		if (!strcmp(units[i].name, name))
			return i;
	return -1;
}

/* Every .c and .h under lib/ becomes a unit, named by its stem. */
static bool collect(void)
{
	for (size_t d = 0; d < NR_DIRS; d++) {
		char path[4096];
		struct dirent *de;
		DIR *dir;

		snprintf(path, sizeof(path), "%s/userspace/lib/%s", RT_TOP, dirs[d]);
		dir = opendir(path);
		if (!dir) {
			ktap_diag("cannot open %s", path);
			return false;
		}
		while ((de = readdir(dir))) {
			size_t len = strlen(de->d_name);
			char stem[64];

			if (len < 3 || len >= sizeof(stem) || de->d_name[len - 2] != '.' ||
			    (de->d_name[len - 1] != 'c' && de->d_name[len - 1] != 'h'))
				continue;
			snprintf(stem, sizeof(stem), "%.*s", (int)len - 2, de->d_name);
			/* X_priv.h is X's own, shared by X's files. */
			if (len > 7 && !strcmp(stem + strlen(stem) - 5, "_priv"))
				continue;
			if (unit_of(stem) >= 0)
				continue;
			if (nr_units == MAX_UNITS) {
				closedir(dir);
				return false;
			}
			snprintf(units[nr_units].name, sizeof(units[0].name), "%s", stem);
			units[nr_units++].rank = (int)d;
		}
		closedir(dir);
	}
	return nr_units > 0;
}

/* The edges from one file's #include "x.h" lines to lib's own headers. */
static void read_includes(int u, const char *file)
{
	char line[512];
	FILE *f = fopen(file, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char inc[64];
		int v;

		if (sscanf(line, "#include \"%63[^\".].h\"", inc) != 1)
			continue;
		if (strlen(inc) > 5 && !strcmp(inc + strlen(inc) - 5, "_priv"))
			inc[strlen(inc) - 5] = '\0';
		v = unit_of(inc);
		if (v < 0 || v == u || units[u].nr_deps == MAX_EDGES)
			continue;
		units[u].deps[units[u].nr_deps++] = v;
	}
	fclose(f);
}

static void read_all(void)
{
	for (int u = 0; u < nr_units; u++) {
		const char *dir = dirs[units[u].rank];
		char path[4096];

		if (snprintf(path, sizeof(path), "%s/userspace/lib/%s%s%s.c",
			     RT_TOP, dir, *dir ? "/" : "",
			     units[u].name) >= (int)sizeof(path))
			continue;
		read_includes(u, path);
		path[strlen(path) - 1] = 'h';
		read_includes(u, path);
	}
}

/* Depth-first; on a back edge, print the cycle from @stack. */
static bool acyclic_from(int u, int *stack, int depth)
{
	units[u].mark = 1;
	stack[depth] = u;
	for (int i = 0; i < units[u].nr_deps; i++) {
		int v = units[u].deps[i];

		if (units[v].mark == 1) {
			char cycle[1024] = "";
			int k = depth;

			while (k > 0 && stack[k] != v)
				k--;
			for (; k <= depth; k++)
				snprintf(cycle + strlen(cycle), sizeof(cycle) - strlen(cycle),
					 "%s -> ", units[stack[k]].name);
			ktap_diag("include cycle: %s%s", cycle, units[v].name);
			return false;
		}
		if (!units[v].mark && !acyclic_from(v, stack, depth + 1))
			return false;
	}
	units[u].mark = 2;
	return true;
}

static bool no_cycles(void)
{
	int stack[MAX_UNITS];

	for (int u = 0; u < nr_units; u++)
		if (!units[u].mark && !acyclic_from(u, stack, 0))
			return false;
	return true;
}

static bool one_way(void)
{
	bool ok = true;

	for (int u = 0; u < nr_units; u++)
		for (int i = 0; i < units[u].nr_deps; i++) {
			const struct unit *v = &units[units[u].deps[i]];

			if (v->rank <= units[u].rank)
				continue;
			ktap_diag("lib/%s %s includes %s.h from lib/%s, a later stage",
				  dirs[units[u].rank], units[u].name, v->name,
				  dirs[v->rank]);
			ok = false;
		}
	return ok;
}

int main(void)
{
	ktap_start(3);
	if (!ktap_result(collect(), "lib_sources_found")) {
		ktap_skip_rest("userspace/lib not readable");
		return ktap_finish();
	}
	read_all();
	ktap_result(no_cycles(), "no_include_cycles");
	ktap_result(one_way(), "flows_include_one_way");
	return ktap_finish();
}
