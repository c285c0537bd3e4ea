// SPDX-License-Identifier: GPL-2.0
/*
 * Symbolization of live addresses of real processes (a PIE C binary under
 * ASLR, a Go binary): function and file:line must agree with addr2line
 * and name the marked source line; inlined frames are expanded; the
 * instruction before a trap IP is found; it keeps working after exit,
 * and when the binary's path is hidden from the symbolizing process.
 */
#include <inttypes.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "elfread.h"
#include "livesites.h"
#include "symbolize.h"
#include "verdict.h"

/* Defined last, where a #line gives its source file a hostile name. */
int control_named(int x);

/* Does line @line of @file contain @marker? */
static bool line_has(const char *file, int line, const char *marker)
{
	FILE *f = fopen(file, "r");
	char buf[512];
	int n = 0;
	bool found = false;

	if (!f)
		return false;
	while (fgets(buf, sizeof(buf), f))
		if (++n == line) {
			found = strstr(buf, marker) != NULL;
			break;
		}
	fclose(f);
	return found;
}

/* addr2line -i -f: pairs of "function\nfile:line" lines, innermost first. */
static int addr2line(const char *bin, uint64_t vaddr, char fn[][128],
		     int *lines, int max)
{
	char cmd[4400], *out, *save = NULL, *l;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "addr2line -i -f -e '%s' 0x%" PRIx64, bin,
		 vaddr);
	out = test_capture(cmd);
	if (!out)
		return -1;
	for (l = strtok_r(out, "\n", &save); l && n < max;
	     l = strtok_r(NULL, "\n", &save)) {
		char *colon;

		snprintf(fn[n], 128, "%s", l);
		l = strtok_r(NULL, "\n", &save);
		if (!l)
			break;
		colon = strrchr(l, ':');
		lines[n] = colon ? atoi(colon + 1) : 0;
		n++;
	}
	free(out);
	return n;
}

static bool is_zombie(pid_t pid)
{
	char path[64], buf[512], *rp;
	FILE *f;
	bool z = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f && fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')))
		z = rp[1] == ' ' && rp[2] == 'Z';
	if (f)
		fclose(f);
	return z;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void show(const struct rt_frames *f)
{
	for (size_t i = 0; i < f->n; i++)
		ktap_diag("  #%zu %s %s:%d (%s+0x%" PRIx64 ")%s", i,
			  f->v[i].function ? f->v[i].function : "?",
			  f->v[i].file ? f->v[i].file : "?", f->v[i].line,
			  f->v[i].module ? f->v[i].module : "?",
			  f->v[i].module_addr, f->v[i].inlined ? " inlined" : "");
}

/* One site's address: symbolized like addr2line does, on the marked line. */
static void check_site(struct rt_symbolizer *s, const struct live_bin *b,
		       uint64_t addr, const char *func, const char *src,
		       const char *marker, const char *name)
{
	struct rt_frames f = { 0 };
	char fn[8][128];
	int lines[8], n;
	bool ok;

	rt_symbolize(s, addr, false, &f);
	n = addr2line(b->path, f.n ? f.v[0].module_addr : 0, fn, lines, 8);
	ok = f.n >= 1 && f.v[0].function && !strcmp(f.v[0].function, func) &&
	     ends_with(f.v[0].file, src) && n >= 1 && lines[0] == f.v[0].line &&
	     line_has(f.v[0].file, f.v[0].line, marker);
	if (!ok) {
		show(&f);
		ktap_diag("addr2line: %d frames, first %s:%d", n,
			  n > 0 ? fn[0] : "-", n > 0 ? lines[0] : 0);
	}
	ktap_result(ok, name);
	rt_frames_free(&f);
}

static void test_c(void)
{
	struct test_proc p;
	struct live_bin b;
	const struct racetrap_site *w, *bump;
	struct rt_symbolizer *s;
	struct rt_frames f = { 0 };
	uint64_t waddr, baddr, start = 0, off = 0;
	char err[256], bid[RT_BUILD_ID_MAX];
	char fn[8][128];
	int lines[8], n;

	if (live_bin_open("sample_c", &b) || test_proc_start(b.path, &p)) {
		ktap_skip("c_symbolize", "sample_c cannot run");
		return;
	}
	w = live_site(&b, "sample_writer", RACETRAP_ACCESS_WRITE);
	bump = live_site(&b, "sample_bumper", RACETRAP_ACCESS_RMW);
	waddr = w ? live_addr(p.pid, &b, w->offset, NULL, NULL) : 0;
	baddr = bump ? live_addr(p.pid, &b, bump->offset, NULL, NULL) : 0;
	s = rt_symbolizer_new(p.pid, err, sizeof(err));
	if (!s || !waddr || !baddr) {
		ktap_diag("setup: %s", s ? "sites not found" : err);
		ktap_result(false, "c_setup");
		test_proc_stop(&p);
		return;
	}
	ktap_result(true, "c_setup");
	check_site(s, &b, waddr, "sample_writer", "tests/data/sample.c",
		   "SAMPLE_WRITER_LINE", "c_function_file_line");

	/* The inlined add: sample_bump inside sample_bumper, both lines. */
	rt_symbolize(s, baddr, false, &f);
	n = addr2line(b.path, f.n ? f.v[0].module_addr : 0, fn, lines, 8);
	EXPECT_TRUE(f.n == 2 && n == 2 && f.v[0].inlined && !f.v[1].inlined &&
		    !strcmp(f.v[0].function, "sample_bump") &&
		    !strcmp(f.v[1].function, "sample_bumper") &&
		    f.v[0].line == lines[0] && f.v[1].line == lines[1] &&
		    line_has(f.v[0].file, f.v[0].line, "SAMPLE_INLINE_LINE") &&
		    line_has(f.v[1].file, f.v[1].line, "SAMPLE_CALL_LINE"),
		    "c_inlined_frames", "%zu frames, addr2line %d", f.n, n);
	if (f.n != 2)
		show(&f);
	rt_frames_clear(&f);

	/* A trap IP is after the access: find the access itself. */
	EXPECT_TRUE(rt_symbolizer_insn_before(s, baddr + bump->len, &start) == 0 &&
		    start == baddr, "c_insn_before_trap_ip",
		    "got 0x%" PRIx64 " want 0x%" PRIx64, start, baddr);

	EXPECT_TRUE(rt_symbolizer_site(s, waddr, bid, &off) == 0 &&
		    off == w->offset && !strcmp(bid, b.table.build_id),
		    "c_site_is_buildid_offset", "%s+0x%" PRIx64, bid, off);

	/* A return address is looked up inside its call instruction. */
	rt_symbolize(s, waddr + w->len, true, &f);
	EXPECT_TRUE(f.n >= 1 && f.v[0].lookup == waddr + w->len - 1 &&
		    f.v[0].ip == waddr + w->len, "c_return_address_minus_one",
		    "lookup 0x%" PRIx64, f.n ? f.v[0].lookup : 0);
	rt_frames_clear(&f);

	/* Nothing mapped: no name, no module, but still a frame. */
	rt_symbolize(s, 0x10, false, &f);
	EXPECT_TRUE(f.n == 1 && !f.v[0].function && !f.v[0].module,
		    "unmapped_address_frame", "%zu frames", f.n);
	rt_frames_clear(&f);

	/* A zombie's maps read empty: a refresh must not forget modules. */
	close(p.in_fd);
	for (int i = 0; i < 500 && !is_zombie(p.pid); i++)
		usleep(10000);
	EXPECT_TRUE(is_zombie(p.pid) && rt_symbolizer_refresh(s) < 0,
		    "c_zombie_refresh_refused", "refresh of a zombie accepted");
	check_site(s, &b, waddr, "sample_writer", "tests/data/sample.c",
		   "SAMPLE_WRITER_LINE", "c_zombie_still_symbolized");

	/* Reaped: what was mapped is still symbolized. */
	p.in_fd = open("/dev/null", O_RDONLY);
	test_proc_stop(&p);
	check_site(s, &b, waddr, "sample_writer", "tests/data/sample.c",
		   "SAMPLE_WRITER_LINE", "c_after_exit");
	rt_frames_free(&f);
	rt_symbolizer_free(s);
	live_bin_close(&b);
}

/*
 * Symbolize the write site of @symbol in a live process of test-data
 * binary @bin and expect @func at @file's line marked @marker.
 */
static void check_live_write_site(const char *bin, const char *symbol,
				  const char *func, const char *file,
				  const char *marker, const char *name)
{
	struct test_proc p;
	struct live_bin b;
	const struct racetrap_site *w;
	struct rt_symbolizer *s;
	char err[256];
	uint64_t addr;

	if (live_bin_open(bin, &b) || test_proc_start(b.path, &p)) {
		char why[64];

		snprintf(why, sizeof(why), "%s cannot run", bin);
		ktap_skip(name, why);
		return;
	}
	w = live_site(&b, symbol, RACETRAP_ACCESS_WRITE);
	addr = w ? live_addr(p.pid, &b, w->offset, NULL, NULL) : 0;
	s = rt_symbolizer_new(p.pid, err, sizeof(err));
	if (s && addr)
		check_site(s, &b, addr, func, file, marker, name);
	else
		ktap_result(false, name);
	rt_symbolizer_free(s);
	test_proc_stop(&p);
	live_bin_close(&b);
}

static void test_go(void)
{
	check_live_write_site("sample_go", "main.sampleWriter",
			      "main.sampleWriter", "tests/data/sample.go",
			      "SAMPLE_GO_WRITER_LINE", "go_function_file_line");
}

static void test_cxx(void)
{
	check_live_write_site("sample_cxx", "_ZN4bank7Account7depositEl",
			      "bank::Account::deposit(long)",
			      "tests/data/sample.cc", "SAMPLE_CXX_DEPOSIT_LINE",
			      "cxx_demangled_method");
}

struct atomic_want {
	const char *func;
	unsigned int access;
	bool atomic;
};

/*
 * The first @access site of each function of @want in a live @bin, at
 * its live address: does @judge call it atomic as wanted?  One ktap
 * result, @name; skipped without the binary.
 */
static void check_atomic_sites(const char *bin, const struct atomic_want *want,
			       size_t n,
			       bool (*judge)(struct rt_symbolizer *s, uint64_t addr,
					     const struct racetrap_site *w),
			       const char *name)
{
	struct rt_symbolizer *s;
	struct test_proc p;
	struct live_bin b;
	char err[256];
	bool ok = true;

	if (live_bin_open(bin, &b) || test_proc_start(b.path, &p)) {
		char why[64];

		snprintf(why, sizeof(why), "%s cannot run", bin);
		ktap_skip(name, why);
		return;
	}
	s = rt_symbolizer_new(p.pid, err, sizeof(err));
	for (size_t i = 0; i < n; i++) {
		const struct racetrap_site *w = live_site(&b, want[i].func,
							  want[i].access);
		uint64_t addr = w ? live_addr(p.pid, &b, w->offset, NULL, NULL) : 0;
		bool got = s && addr && judge(s, addr, w);

		if (!addr || got != want[i].atomic) {
			ktap_diag("%s: %s, want %s", want[i].func,
				  !addr ? "no site" : got ? "atomic" : "plain",
				  want[i].atomic ? "atomic" : "plain");
			ok = false;
		}
	}
	ktap_result(s && ok, name);
	rt_symbolizer_free(s);
	test_proc_stop(&p);
	live_bin_close(&b);
}

/* Is the access's innermost frame an atomic API's (verdict.c)? */
static bool atomic_by_frame(struct rt_symbolizer *s, uint64_t addr,
			    const struct racetrap_site *w)
{
	struct rt_frames f = { 0 };
	bool atomic;

	(void)w;
	rt_symbolize(s, addr, false, &f);
	atomic = rt_verdict_atomic_frame(&f);
	show(&f);
	rt_frames_free(&f);
	return atomic;
}

/*
 * Does the access's operand address an _Atomic object (atomictype.c)?
 * Asked twice: the second answer comes from the symbolizer's cache.
 */
static bool atomic_by_type(struct rt_symbolizer *s, uint64_t addr,
			   const struct racetrap_site *w)
{
	bool got = rt_symbolizer_atomic_operand(s, addr, w);

	if (rt_symbolizer_atomic_operand(s, addr, w) != got) {
		ktap_diag("the cached answer differs");
		return !got;
	}
	return got;
}

/*
 * A C++ release store and acquire load are plain MOVs: their inlined
 * std::atomic frames are what makes them atomic (verdict.c).  A plain
 * member's store is not.
 */
static void test_cxx_atomic_frames(void)
{
	static const struct atomic_want want[] = {
		{ "_ZN4bank7publishEPNS_4FlagE", RACETRAP_ACCESS_WRITE, true },
		{ "_ZN4bank5awaitEPNS_4FlagE", RACETRAP_ACCESS_READ, true },
		{ "_ZN4bank7Account7depositEl", RACETRAP_ACCESS_WRITE, false },
	};

	check_atomic_sites("sample_cxx", want, sizeof(want) / sizeof(want[0]),
			   atomic_by_frame, "cxx_atomic_frames");
}

/*
 * Rust's release store and acquire load are plain MOVs too: their inlined
 * core::sync::atomic frames make them atomic, as C++'s.  A plain field's
 * store is not.
 */
static void test_rust_atomic_frames(void)
{
	static const struct atomic_want want[] = {
		{ "sample_rs_publish", RACETRAP_ACCESS_WRITE, true },
		{ "sample_rs_await", RACETRAP_ACCESS_READ, true },
		{ "sample_rs_deposit", RACETRAP_ACCESS_WRITE, false },
	};

	check_atomic_sites("sample_rs", want, sizeof(want) / sizeof(want[0]),
			   atomic_by_frame, "rust_atomic_frames");
}

/*
 * A C11 release store and acquire load are plain MOVs with no frame of
 * their own: their operands' DWARF type (a pointer parameter to a struct
 * whose member there is atomic_int; a global atomic_long addressed
 * rip-relative) is what makes them atomic (atomictype.c).  The plain
 * member's store in the same struct, and a plain global's, are not.
 */
static void test_c_atomic_type(void)
{
	static const struct atomic_want want[] = {
		{ "sample_publish", RACETRAP_ACCESS_WRITE, true },
		{ "sample_await", RACETRAP_ACCESS_READ, true },
		{ "sample_fill", RACETRAP_ACCESS_WRITE, false },
		{ "sample_flag_set", RACETRAP_ACCESS_WRITE, true },
		{ "sample_flag_get", RACETRAP_ACCESS_READ, true },
		{ "sample_writer", RACETRAP_ACCESS_WRITE, false },
	};

	check_atomic_sites("sample_c", want, sizeof(want) / sizeof(want[0]),
			   atomic_by_type, "c_atomic_type_operands");
}

/*
 * In a child with a mount namespace of its own, where an empty tmpfs
 * covers the binary's directory, as racetrapd.service's private /tmp
 * hides a program run from the real one.  Exits 0 if @addr is still
 * symbolized, 1 if not, 2 if no namespace can be made here.
 */
static int hidden_child(const struct live_bin *b, pid_t pid, uint64_t addr)
{
	struct rt_frames f = { 0 };
	struct rt_symbolizer *s;
	char dir[4096], err[256];
	bool ok;

	snprintf(dir, sizeof(dir), "%s", b->path);
	*strrchr(dir, '/') = '\0';
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", dir, "tmpfs", 0, NULL))
		return 2;
	if (access(b->path, F_OK) == 0) {
		ktap_diag("%s is still visible", b->path);
		return 1;
	}
	s = rt_symbolizer_new(pid, err, sizeof(err));
	if (!s) {
		ktap_diag("symbolizer: %s", err);
		return 1;
	}
	rt_symbolize(s, addr, false, &f);
	ok = f.n >= 1 && f.v[0].function &&
	     !strcmp(f.v[0].function, "sample_writer") &&
	     ends_with(f.v[0].file, "tests/data/sample.c");
	if (!ok)
		show(&f);
	rt_frames_free(&f);
	rt_symbolizer_free(s);
	return ok ? 0 : 1;
}

static void test_hidden_path(void)
{
	const char *name = "c_hidden_path_through_proc_root";
	const struct racetrap_site *w;
	struct test_proc p;
	struct live_bin b;
	uint64_t addr;
	int st = -1;
	pid_t child;

	if (live_bin_open("sample_c", &b) || test_proc_start(b.path, &p)) {
		ktap_skip(name, "sample_c cannot run");
		return;
	}
	w = live_site(&b, "sample_writer", RACETRAP_ACCESS_WRITE);
	addr = w ? live_addr(p.pid, &b, w->offset, NULL, NULL) : 0;
	fflush(stdout);
	child = fork();
	if (child == 0)
		_exit(addr ? hidden_child(&b, p.pid, addr) : 1);
	if (child > 0)
		waitpid(child, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		ktap_skip(name, "no mount namespace of its own here (needs root)");
	else
		ktap_result(WIFEXITED(st) && WEXITSTATUS(st) == 0, name);
	test_proc_stop(&p);
	live_bin_close(&b);
}

/*
 * Copy @from to a new file @to (a mkstemp template), mode 0755, another
 * user's when we are root; a read-only fd of it.
 */
static int copy_exec(const char *from, char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = mkstemp(to);
	ssize_t n = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out >= 0 && (n < 0 || fchmod(out, 0755) ||
			 (getuid() == 0 && fchown(out, 65534, 65534)))) {
		close(out);
		unlink(to);
		return -1;
	}
	/* Open for writing it could not be run (ETXTBSY). */
	if (out >= 0)
		close(out);
	return out >= 0 ? open(to, O_RDONLY | O_CLOEXEC) : -1;
}

/*
 * Run @path, a copy of sample_c open as @fd, symbolize its writer's store
 * and check the line under @name.  Returns the symbolizer, for checks of
 * what it holds (the process is stopped; free it), or NULL.
 */
static struct rt_symbolizer *symbolize_copy(struct live_bin *b,
					    const char *path, int fd,
					    const char *name)
{
	const struct racetrap_site *w;
	struct rt_symbolizer *s = NULL;
	struct test_proc p;
	uint64_t addr;
	char err[256];
	int orig;

	w = live_site(b, "sample_writer", RACETRAP_ACCESS_WRITE);
	if (fd < 0 || !w || test_proc_start(path, &p)) {
		ktap_result(false, name);
		return NULL;
	}
	/* Its addresses are found by the copy's inode. */
	orig = b->fd;
	b->fd = fd;
	addr = live_addr(p.pid, b, w->offset, NULL, NULL);
	b->fd = orig;
	s = rt_symbolizer_new(p.pid, err, sizeof(err));
	if (s && addr)
		check_site(s, b, addr, "sample_writer", "tests/data/sample.c",
			   "SAMPLE_WRITER_LINE", name);
	else
		ktap_result(false, name);
	test_proc_stop(&p);
	return s;
}

/*
 * A program file another user owns is read, not mapped (elfread.h: they
 * could truncate it under racetrapd): decoding and symbolizing it work
 * the same.
 */
static void test_user_owned(void)
{
	const char *name = "c_user_owned_binary_read_not_mapped";
	char path[] = "/tmp/racetrap-sym-XXXXXX", err[256];
	struct rt_sites_opts opts = { .keep_runtime = true };
	struct rt_site_table copy = { 0 };
	struct rt_symbolizer *s;
	struct live_bin b;
	int fd;

	if (live_bin_open("sample_c", &b)) {
		ktap_skip(name, "sample_c cannot run");
		ktap_skip("c_user_owned_binary_decoded", "sample_c cannot run");
		return;
	}
	fd = copy_exec(b.path, path);
	EXPECT_TRUE(fd >= 0 && rt_elf_read_cmd(fd) == ELF_C_READ &&
		    !rt_sites_decode_file(fd, &opts, &copy, err, sizeof(err)) &&
		    copy.nr_sites == b.table.nr_sites,
		    "c_user_owned_binary_decoded", "%zu sites, want %zu",
		    copy.nr_sites, b.table.nr_sites);
	rt_site_table_release(&copy);
	s = symbolize_copy(&b, path, fd, name);
	rt_symbolizer_free(s);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	live_bin_close(&b);
}

/* Is @needle in a mapping of this process (/proc/self/maps)? */
static bool self_maps(const char *needle)
{
	char line[4400];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "re");

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * A user's program whose DWARF is in a separate file found by its
 * .gnu_debuglink, beside it, as `objcopy --only-keep-debug` leaves it:
 * the lines come from that file, and it is copied, not mapped (its owner
 * could truncate it under racetrapd).
 */
static void test_user_debuglink(void)
{
	const char *name = "c_user_debuglink_read_not_mapped";
	char dir[] = "/tmp/racetrap-dbg-XXXXXX", cmd[8600];
	char prog[64], debug[64];
	struct rt_symbolizer *s;
	struct live_bin b;
	int fd = -1;

	if (live_bin_open("sample_c", &b)) {
		ktap_skip(name, "sample_c cannot run");
		ktap_skip("c_user_debuglink_not_mapped", "sample_c cannot run");
		return;
	}
	if (!mkdtemp(dir)) {
		ktap_result(false, name);
		ktap_result(false, "c_user_debuglink_not_mapped");
		live_bin_close(&b);
		return;
	}
	snprintf(prog, sizeof(prog), "%s/prog", dir);
	snprintf(debug, sizeof(debug), "%s/prog.debug", dir);
	/* As root, the files are made nobody's, as a user's would be. */
	snprintf(cmd, sizeof(cmd),
		 "objcopy --only-keep-debug '%s' %s && "
		 "objcopy --strip-debug --add-gnu-debuglink=%s '%s' %s && "
		 "chmod 0755 %s && { [ %d -ne 0 ] || chown -R 65534:65534 %s; }",
		 b.path, debug, debug, b.path, prog, prog, (int)getuid(), dir);
	if (!system(cmd))
		fd = open(prog, O_RDONLY | O_CLOEXEC);
	else
		ktap_diag("%s failed", cmd);
	s = symbolize_copy(&b, prog, fd, name);
	ktap_result(s && !self_maps(debug), "c_user_debuglink_not_mapped");
	rt_symbolizer_free(s);
	if (fd >= 0)
		close(fd);
	unlink(prog);
	unlink(debug);
	rmdir(dir);
	live_bin_close(&b);
}

/*
 * DWARF names are the target's to choose: a source file named with a
 * newline and a terminal escape reaches reports as '?'s, so no text
 * report or log line can be forged from a binary.
 */
static void test_control_names(void)
{
	const char *name = "dwarf_control_characters_replaced";
	struct rt_frames f = { 0 };
	struct rt_symbolizer *s;
	char err[256] = "";
	bool ok = false;

	s = rt_symbolizer_new(getpid(), err, sizeof(err));
	if (s && !rt_symbolize(s, (uint64_t)(uintptr_t)&control_named, false,
			       &f) && f.n) {
		show(&f);
		ok = ends_with(f.v[0].file, "forged?WARNING: DATA RACE?[31m.c");
		for (size_t i = 0; i < f.n; i++)
			ok &= !test_has_controls(f.v[i].file) &&
			      !test_has_controls(f.v[i].function) &&
			      !test_has_controls(f.v[i].module);
	} else {
		ktap_diag("symbolizer: %s", err);
	}
	ktap_result(ok, name);
	rt_frames_free(&f);
	rt_symbolizer_free(s);
}

/* Fork a `sleep 30` whose pid is @want, through ns_last_pid (root). */
static pid_t spawn_at_pid(pid_t want)
{
	for (int tries = 0; tries < 20; tries++) {
		FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "we");
		pid_t child;
		int st;

		if (!f || fprintf(f, "%d", (int)want - 1) < 0 || fclose(f)) {
			if (f)
				fclose(f);
			return -1;
		}
		fflush(stdout);
		child = fork();
		if (child == 0) {
			execl("/bin/sleep", "sleep", "30", (char *)NULL);
			_exit(127);
		}
		if (child == want || child < 0)
			return child;
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
	}
	return -1;
}

/*
 * The start of the executable mapping of @pid's program, once it has
 * exec'd @prog (which may be a link: busybox's sleep).
 */
static uint64_t program_text(pid_t pid, const char *prog)
{
	char path[64], exe[4096], want[4096], line[4400];
	unsigned long long start = 0;
	ssize_t n;

	if (!realpath(prog, want))
		return 0;
	for (int i = 0; i < 200 && !start; i++) {
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		n = readlink(path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
		if (!strcmp(exe, want)) {
			FILE *f = fopen(path, "re");

			while (f && fgets(line, sizeof(line), f) && !start)
				if (strstr(line, " r-xp ") && strstr(line, exe))
					sscanf(line, "%llx-", &start);
			if (f)
				fclose(f);
		}
		if (!start)
			usleep(10000);
	}
	return start;
}

/*
 * Records are symbolized after their process may have exited, and its
 * pid can then be another process's: the symbolizer must not read that
 * one's maps and name its code in the first one's reports.
 */
static void test_pid_reuse(void)
{
	const char *name = "reused_pid_not_symbolized";
	struct rt_frames f = { 0 };
	struct rt_symbolizer *s = NULL;
	struct test_proc p;
	struct live_bin b;
	char err[256] = "";
	pid_t other = -1;
	uint64_t addr;
	int st;

	if (live_bin_open("sample_c", &b) || test_proc_start(b.path, &p)) {
		ktap_skip(name, "sample_c cannot run");
		return;
	}
	s = rt_symbolizer_new(p.pid, err, sizeof(err));
	test_proc_stop(&p);
	if (!s) {
		ktap_diag("symbolizer: %s", err);
		ktap_result(false, name);
		goto out;
	}
	other = spawn_at_pid(p.pid);
	if (other != p.pid) {
		ktap_skip(name, "pid not reused (needs root: ns_last_pid)");
		goto out;
	}
	addr = program_text(other, "/bin/sleep");
	if (addr && !rt_symbolize(s, addr, false, &f) && f.n && f.v[0].module)
		show(&f);
	ktap_result(addr && f.n && !f.v[0].module, name);
out:
	if (other > 0) {
		kill(other, SIGKILL);
		waitpid(other, &st, 0);
	}
	rt_frames_free(&f);
	rt_symbolizer_free(s);
	live_bin_close(&b);
}

int main(void)
{
	ktap_start(22);
	test_c();
	test_go();
	test_cxx();
	test_cxx_atomic_frames();
	test_rust_atomic_frames();
	test_c_atomic_type();
	test_hidden_path();
	test_user_owned();
	test_user_debuglink();
	test_control_names();
	test_pid_reuse();
	return ktap_finish();
}

/* Last in the file: what follows the #line has no true lines. */
#line 1 "forged\nWARNING: DATA RACE\033[31m.c"
__attribute__((noinline, used)) int control_named(int x)
{
	return x * 3 + 1;
}
