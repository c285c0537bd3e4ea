// SPDX-License-Identifier: GPL-2.0
/*
 * No sampling in a restartable sequence: sample_rseq (the churn soak's
 * churn_rseq, a PIE) declares one critical section in __rseq_cs, whose
 * counter load and committing store objdump shows as memory accesses.
 * Its site table must hold no site inside it, and sites on both sides
 * of it in the same function; with the descriptor's start_ip zeroed in
 * the file, the section must still be found through its
 * R_X86_64_RELATIVE relocation; a binary without __rseq_cs has none.
 * And the dropping itself, on made-up sites at each edge of a section.
 */
#include <gelf.h>
#include <inttypes.h>

#include "elffuncs.h"
#include "rseqcs.h"
#include "sites.h"
#include "testlib.h"

static int load_path(const char *path, struct rt_rseq_cs **cs, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;
	Elf *elf;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf) {
		ret = rt_rseq_cs_load(elf, cs, n);
		elf_end(elf);
	}
	close(fd);
	return ret;
}

/* Memory operands objdump shows in [lo, hi) of @path's file offsets. */
static size_t objdump_accesses(const char *path, const struct rt_rseq_cs *cs)
{
	char cmd[PATH_MAX + 256], *out, *line, *save = NULL;
	size_t n = 0;

	/* A PIE's code sits at file offset == address. */
	snprintf(cmd, sizeof(cmd),
		 "objdump -d --no-show-raw-insn -w --start-address=%#" PRIx64
		 " --stop-address=%#" PRIx64 " '%s'", cs->lo, cs->hi, path);
	out = test_capture(cmd);
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		n += strchr(line, '(') && strstr(line, ":\t");
	free(out);
	return n;
}

static void test_table(const char *path, const struct rt_rseq_cs *cs)
{
	struct rt_sites_opts opts = { 0 };
	struct rt_site_table t;
	size_t inside = 0, before = 0, after = 0, od = objdump_accesses(path, cs);
	char err[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || rt_sites_decode_file(fd, &opts, &t, err, sizeof(err))) {
		ktap_result(false, "rseq_sites_left_out");
		ktap_result(false, "rseq_sites_around_kept");
		if (fd >= 0)
			close(fd);
		return;
	}
	for (size_t i = 0; i < t.nr_sites; i++) {
		const struct racetrap_site *s = &t.sites[i];

		if (s->offset + s->len <= cs->lo)
			before += s->offset + 64 > cs->lo;
		else if (s->offset >= cs->hi)
			after += s->offset < cs->hi + 64;
		else
			inside++;
	}
	EXPECT_TRUE(od >= 2 && !inside, "rseq_sites_left_out",
		    "%zu sites in [%#" PRIx64 ", %#" PRIx64
		    "), where objdump shows %zu memory operands",
		    inside, cs->lo, cs->hi, od);
	EXPECT_TRUE(before && after, "rseq_sites_around_kept",
		    "%zu sites in the 64 bytes before, %zu after", before,
		    after);
	rt_site_table_release(&t);
	close(fd);
}

/* A copy of @path with the first descriptor's start_ip word zeroed. */
static int zeroed_copy(const char *path, char *copy, size_t len)
{
	char cmd[2 * PATH_MAX + 256];
	uint64_t off = 0, zero = 0;
	GElf_Shdr sh;
	int fd = open(path, O_RDONLY | O_CLOEXEC), out;
	Elf *elf;

	if (fd < 0)
		return -1;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && rt_elf_section(elf, "__rseq_cs", &sh))
		off = sh.sh_offset + 8;
	elf_end(elf);
	close(fd);
	snprintf(copy, len, "/tmp/rt_rseqcs_%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, copy);
	if (!off || system(cmd))
		return -1;
	out = open(copy, O_WRONLY | O_CLOEXEC);
	if (out < 0)
		return -1;
	if (pwrite(out, &zero, sizeof(zero), (off_t)off) != sizeof(zero)) {
		close(out);
		return -1;
	}
	return close(out);
}

static void test_drop(void)
{
	const struct rt_rseq_cs cs[] = { { 100, 120 }, { 200, 210 } };
	struct racetrap_site s[] = {
		{ .offset = 90, .len = 10 },	/* ends at 100: kept */
		{ .offset = 96, .len = 6 },	/* 96..102: overlaps, dropped */
		{ .offset = 110, .len = 4 },	/* inside: dropped */
		{ .offset = 120, .len = 3 },	/* starts at the end: kept */
		{ .offset = 205, .len = 7 },	/* in the second: dropped */
		{ .offset = 300, .len = 2 },	/* after all: kept */
	};
	size_t n = rt_rseq_cs_drop(cs, 2, s, 6);

	EXPECT_TRUE(n == 3 && s[0].offset == 90 && s[1].offset == 120 &&
		    s[2].offset == 300, "rseq_drop_edges", "%zu kept", n);
}

int main(void)
{
	struct rt_rseq_cs *cs = NULL, *cs2 = NULL, *none = NULL;
	char path[PATH_MAX], plain[PATH_MAX], copy[PATH_MAX];
	size_t n = 0, n2 = 0, n0 = 1;

	ktap_start(6);
	test_drop();
	if (test_data_path("sample_rseq", path, sizeof(path)) ||
	    test_data_path("sample_c", plain, sizeof(plain))) {
		ktap_skip_rest("test data not built");
		return ktap_finish();
	}
	EXPECT_TRUE(!load_path(path, &cs, &n) && n == 1 &&
		    cs[0].hi > cs[0].lo && cs[0].hi - cs[0].lo < 64,
		    "rseq_section_found", "%zu sections", n);
	if (n == 1) {
		test_table(path, &cs[0]);
	} else {
		ktap_skip("rseq_sites_left_out", "no section");
		ktap_skip("rseq_sites_around_kept", "no section");
	}
	EXPECT_TRUE(n == 1 && !zeroed_copy(path, copy, sizeof(copy)) &&
		    !load_path(copy, &cs2, &n2) && n2 == 1 &&
		    cs2[0].lo == cs[0].lo && cs2[0].hi == cs[0].hi,
		    "rseq_section_through_relocation", "%zu sections", n2);
	unlink(copy);
	EXPECT_TRUE(!load_path(plain, &none, &n0) && n0 == 0 && !none,
		    "rseq_none_without_section", "%zu sections", n0);
	free(cs);
	free(cs2);
	return ktap_finish();
}
