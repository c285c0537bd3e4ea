// SPDX-License-Identifier: GPL-2.0
/*
 * goctx: offsetof(runtime.g, goid) and (runtime.g, gopc) as the DWARF
 * of a Go binary built by the installed Go says, checked against what
 * binutils' readelf dumps of the same DWARF (so the test holds for any
 * Go release); none from a binary built with -ldflags='-s -w'; the
 * config of a live Go process; and that config kept in the cache
 * directory by the executable's identity, read back on the next attach.
 */
#include "goctx.h"
#include "testlib.h"

#include <uapi/linux/racetrap.h>

/*
 * readelf's view: the members of the DW_TAG_structure_type named
 * runtime.g, as "NAME OFFSET" lines for goid and gopc.
 */
static const char awk_prog[] =
	"/^ <1>/ { st = ($0 ~ /DW_TAG_structure_type/); in_g = 0; next }"
	" st && /DW_AT_name/ && $NF == \"runtime.g\" { in_g = 1; st = 0; next }"
	" in_g && /^ <2>/ { name = \"\"; next }"
	" in_g && /DW_AT_name/ { name = $NF; next }"
	" in_g && /DW_AT_data_member_location/ &&"
	" (name == \"goid\" || name == \"gopc\") { print name, $NF }";

static bool readelf_offsets(const char *path, long *goid, long *gopc)
{
	char cmd[8192], *out, *line;
	bool ok;

	*goid = *gopc = -1;
	snprintf(cmd, sizeof(cmd),
		 "readelf --debug-dump=info '%s' 2>/dev/null | awk '%s'",
		 path, awk_prog);
	out = test_capture(cmd);
	if (!out)
		return false;
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char name[16];
		long v;

		if (sscanf(line, "%15s %ld", name, &v) != 2)
			continue;
		if (!strcmp(name, "goid"))
			*goid = v;
		else if (!strcmp(name, "gopc"))
			*gopc = v;
	}
	ok = *goid >= 0 && *gopc >= 0;
	free(out);
	return ok;
}

static int offsets_of(const char *path, uint32_t off[RT_GOCTX_NR])
{
	int fd = open(path, O_RDONLY), r = -1;
	Elf *elf;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf)
		r = rt_goctx_offsets(elf, off);
	elf_end(elf);
	close(fd);
	return r;
}

static void test_dwarf(void)
{
	uint32_t off[RT_GOCTX_NR] = { 0 };
	char path[PATH_MAX];
	long goid, gopc;
	int r;

	if (test_data_path("sample_go", path, sizeof(path))) {
		ktap_skip("goid_gopc_match_readelf", "no sample_go");
		return;
	}
	if (system("command -v readelf >/dev/null 2>&1") != 0) {
		ktap_skip("goid_gopc_match_readelf", "readelf is not installed");
		return;
	}
	r = offsets_of(path, off);
	if (!readelf_offsets(path, &goid, &gopc)) {
		ktap_diag("readelf shows no runtime.g goid/gopc in %s", path);
		ktap_result(false, "goid_gopc_match_readelf");
		return;
	}
	ktap_diag("runtime.g: goid at %u, gopc at %u (readelf: %ld, %ld)",
		  off[RT_GOCTX_GOID], off[RT_GOCTX_GOPC], goid, gopc);
	ktap_result(r == 0 && off[RT_GOCTX_GOID] == goid &&
		    off[RT_GOCTX_GOPC] == gopc, "goid_gopc_match_readelf");
}

/* What a goroutine window writes: g.stack {lo, hi} then stackguard0. */
static void test_yield_offsets(void)
{
	uint32_t off[RT_GOCTX_NR] = { 0 };
	char path[PATH_MAX];
	int r;

	if (test_data_path("sample_go", path, sizeof(path))) {
		ktap_skip("preempt_guard_found", "no sample_go");
		return;
	}
	r = offsets_of(path, off);
	ktap_diag("runtime.g: preempt at %u, stackguard0 at %u",
		  off[RT_GOCTX_PREEMPT], off[RT_GOCTX_GUARD]);
	ktap_result(r == 0 && off[RT_GOCTX_GUARD] == 16 &&
		    off[RT_GOCTX_PREEMPT] > 16, "preempt_guard_found");
}

static void test_no_dwarf(void)
{
	uint32_t off[RT_GOCTX_NR] = { 0 };
	char path[PATH_MAX];

	if (test_data_path("sample_go_nodwarf", path, sizeof(path))) {
		ktap_skip("no_dwarf_no_words", "no sample_go_nodwarf");
		return;
	}
	ktap_result(offsets_of(path, off) == -ENOENT, "no_dwarf_no_words");
}

/* A C program has DWARF but no runtime.g. */
static void test_not_go(void)
{
	uint32_t off[RT_GOCTX_NR] = { 0 };
	char path[PATH_MAX];

	if (test_data_path("sample_c", path, sizeof(path))) {
		ktap_skip("c_binary_no_words", "no sample_c");
		return;
	}
	ktap_result(offsets_of(path, off) == -ENOENT, "c_binary_no_words");
}

/*
 * rt_goctx_configure(), the session's one read of the executable: a Go
 * target's stack bounds always, its words only when asked for and where
 * DWARF has them; nothing for C.
 */
static void check_configure(const char *name, bool go, bool words,
			    const char *cache_dir)
{
	struct racetrap_config cfg = { .stack_reg = RACETRAP_REG_NONE };
	uint32_t off[RT_GOCTX_NR] = { 0 };
	char path[PATH_MAX], what[64];
	struct test_proc p;
	bool got;

	snprintf(what, sizeof(what), "configure_%s%s", name,
		 cache_dir ? "_cached" : "");
	if (test_data_path(name, path, sizeof(path)) ||
	    test_proc_start(path, &p)) {
		ktap_diag("cannot run %s", name);
		ktap_result(false, what);
		return;
	}
	got = rt_goctx_configure(p.pid, &cfg, true, true, cache_dir);
	test_proc_stop(&p);
	/* Where words are expected, the binary's DWARF must give them. */
	ktap_result((!words || offsets_of(path, off) == 0) && got == go &&
		    cfg.stack_reg == (go ? RACETRAP_REG_R14 : RACETRAP_REG_NONE) &&
		    cfg.nr_ctx == (words ? RT_GOCTX_WORDS : 0) &&
		    cfg.ctx_off[0] == (words ? off[RT_GOCTX_GOID] : 0) &&
		    cfg.ctx_off[1] == (words ? off[RT_GOCTX_GOPC] : 0) &&
		    cfg.go_preempt_off == (words ? off[RT_GOCTX_PREEMPT] : 0) &&
		    cfg.go_guard_off == (words ? off[RT_GOCTX_GUARD] : 0), what);
}

/* The goroutine-id offset rt_goctx_configure() gives for @path's process. */
static uint32_t configured_goid_off(const char *path, const char *cache_dir)
{
	struct racetrap_config cfg = { .stack_reg = RACETRAP_REG_NONE };
	struct test_proc p;

	if (test_proc_start(path, &p))
		return UINT32_MAX;
	rt_goctx_configure(p.pid, &cfg, true, true, cache_dir);
	test_proc_stop(&p);
	return cfg.nr_ctx ? cfg.ctx_off[RT_GOCTX_GOID] : 0;
}

/*
 * The second attach reads the offsets from the cache (proved by doctoring
 * the stored goid offset), and a copy of the binary, another file with
 * the same build-id, is read afresh.
 */
static void test_cache(void)
{
	char dir[] = "/tmp/racetrap-goctx-XXXXXX", path[PATH_MAX];
	char cmd[2 * PATH_MAX + 200], copy[PATH_MAX + 100], *files;
	uint32_t first, doctored = 4088, again, fresh;
	FILE *f = NULL;

	if (!mkdtemp(dir) || test_data_path("sample_go", path, sizeof(path))) {
		ktap_skip("cache_written_and_used", "no temp dir or test data");
		ktap_skip("cache_keyed_by_file", "no temp dir or test data");
		ktap_skip("cache_named_by_go_build_id", "no temp dir or test data");
		return;
	}
	first = configured_goid_off(path, dir);
	snprintf(cmd, sizeof(cmd), "ls %s", dir);
	files = test_capture(cmd);
	if (files && strstr(files, ".goctx")) {
		files[strcspn(files, "\n")] = '\0';
		snprintf(cmd, sizeof(cmd), "%s/%s", dir, files);
		f = fopen(cmd, "r+");
	}
	/* The entry's last field is the last of the file: goid's is 16
	 * bytes before the end (int32 result, then four offsets). */
	if (f) {
		fseek(f, -(long)(RT_GOCTX_NR * sizeof(uint32_t)), SEEK_END);
		fwrite(&doctored, sizeof(doctored), 1, f);
		fclose(f);
	}
	/* Named by the Go build ID note's hash, not the code's (buildid.c). */
	EXPECT_TRUE(files && !strncmp(files, "go", 2) &&
		    strspn(files + 2, "0123456789abcdef") == 16 &&
		    files[18] == '-', "cache_named_by_go_build_id",
		    "file %s", files ? files : "none");
	again = configured_goid_off(path, dir);
	EXPECT_TRUE(f && first && first != doctored && again == doctored,
		    "cache_written_and_used", "first %u, then %u; files: %s",
		    first, again, files ? files : "none");
	snprintf(copy, sizeof(copy), "%s/copy", dir);
	snprintf(cmd, sizeof(cmd), "cp %s %s", path, copy);
	fresh = system(cmd) == 0 ? configured_goid_off(copy, dir) : 0;
	EXPECT_TRUE(fresh == first, "cache_keyed_by_file",
		    "a copy of the binary got %u, not %u", fresh, first);
	free(files);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		ktap_diag("cannot remove %s", dir);
}

int main(void)
{
	ktap_start(10);
	test_dwarf();
	test_yield_offsets();
	test_no_dwarf();
	test_not_go();
	check_configure("sample_go", true, true, NULL);
	check_configure("sample_go_nodwarf", true, false, NULL);
	check_configure("sample_c", false, false, NULL);
	test_cache();
	return ktap_finish();
}
