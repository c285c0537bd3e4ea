// SPDX-License-Identifier: GPL-2.0
/*
 * The analyzer end to end on synthetic records built from the real
 * addresses of live test-data processes: the text report of a first
 * sighting, repeats and swapped roles counted not reported, unseen
 * writers, status records, the summary, suppressions, and the Go runtime
 * filter (a GC-internal hit filtered, a map-assignment hit reported).
 */
#include <inttypes.h>
#include <syslog.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capture.h"
#include "sides.h"

static bool has(const char *text, const char *needle)
{
	bool ok = text && strstr(text, needle);

	if (!ok)
		ktap_diag("missing \"%s\"", needle);
	return ok;
}

static struct rt_analyzer *new_analyzer(struct live *l, struct capture *c,
					const char *supp, bool json)
{
	struct rt_analyzer_opts o = {
		.suppressions = supp, .emit = capture_emit, .emit_arg = c,
	};
	char err[512];
	struct rt_analyzer *an;

	/* What the session learns from the binary (goabi.h). */
	o.go = strstr(l->bin.path, "sample_go") != NULL;
	c->json = json;
	an = rt_analyzer_new(l->proc.pid, &o, err, sizeof(err));
	if (!an)
		ktap_diag("rt_analyzer_new: %s", err);
	else
		live_add_table(l, an);
	return an;
}

/* sample_c's writer and reader sites and its caller; false if missing. */
struct c_pair {
	const struct racetrap_site *w, *rd;
	uint64_t waddr, raddr, caller;
};

static bool c_pair_of(struct live *l, struct c_pair *p)
{
	p->waddr = live_site_addr(l, "sample_writer", RACETRAP_ACCESS_WRITE, &p->w);
	p->raddr = live_site_addr(l, "sample_reader", RACETRAP_ACCESS_READ, &p->rd);
	p->caller = live_func_addr(l, "thread_main");
	return p->waddr && p->raddr && p->caller;
}

static void test_c_races(void)
{
	const struct racetrap_site *w, *rd;
	struct racetrap_record rec, swapped, vc, mis, lost;
	struct rt_analyzer_counts cnt;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	uint64_t waddr, raddr, caller;
	char want[256];
	struct live l;
	const char *t;

	if (live_start("sample_c", &l)) {
		ktap_skip("c_races", "sample_c cannot run");
		live_free(&l);
		return;
	}
	waddr = live_site_addr(&l, "sample_writer", RACETRAP_ACCESS_WRITE, &w);
	raddr = live_site_addr(&l, "sample_reader", RACETRAP_ACCESS_READ, &rd);
	caller = live_func_addr(&l, "thread_main");
	an = new_analyzer(&l, &c, NULL, false);
	if (!an || !waddr || !raddr || !caller) {
		ktap_result(false, "c_setup");
		live_free(&l);
		return;
	}
	/* The reader was sampled; the writer's store trapped. */
	make_hit(&l, &rec, rd, raddr, w, waddr, caller);
	rt_analyzer_feed(an, &rec);
	t = c.n == 1 ? c.text[0] : NULL;
	/* TSan's layout: the sampled (later) access first. */
	snprintf(want, sizeof(want), "WARNING: DATA RACE\n  Read of size 8 at 0x5000 by thread %d (sample_c):\n    #0 sample_reader ",
		 (int)l.proc.pid);
	EXPECT_TRUE(t && c.kind[0] == RT_REPORT_RACE &&
		    c.priority[0] == LOG_WARNING &&
		    has(t, "==================\nWARNING: DATA RACE\n") &&
		    has(t, want) && has(t, "tests/data/sample.c:18 (sample_c+0x") &&
		    has(t, "    #1 thread_main ") &&
		    has(t, ")\n\n  Previous write of size 8 at 0x5000 by thread ") &&
		    has(t, "    #0 sample_writer ") &&
		    has(t, ")\n\n  Location is heap at 0x5000\n\n") &&
		    has(t, "  Value before: 0x2a, after: 0x2b\n") &&
		    has(t, "trigger: clock  window: 500us\n\nSUMMARY: racetrap: data race ") &&
		    has(t, "tests/data/sample.c:23 in sample_reader\n==================") &&
		    has(t, "process: sample_c (pid "),
		    "c_text_report", "%d reports", c.n);
	if (t && !strstr(t, want))
		ktap_diag("report:\n%s", t);
	snprintf(want, sizeof(want), "  Race fingerprint: %s ", c.fingerprint[0]);
	EXPECT_TRUE(t && strlen(c.fingerprint[0]) == 16 && has(t, want) &&
		    !strncmp(c.site_a[0], l.bin.table.build_id, 16) &&
		    !strncmp(c.site_b[0], l.bin.table.build_id, 16),
		    "c_fields", "fingerprint \"%s\" sites %s %s",
		    c.fingerprint[0], c.site_a[0], c.site_b[0]);

	/* The same race again, and with the roles swapped: counted only. */
	rt_analyzer_feed(an, &rec);
	make_hit(&l, &swapped, w, waddr, rd, raddr, caller);
	rt_analyzer_feed(an, &swapped);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 1 && cnt.races == 1 && cnt.repeats == 2 &&
		    cnt.records == 3, "c_repeats_and_swapped_roles_counted",
		    "%d reports, races %" PRIu64 " repeats %" PRIu64, c.n,
		    cnt.races, cnt.repeats);

	vc = rec;
	vc.type = RACETRAP_REC_VALUE_CHANGE;
	memset(&vc.trapped, 0, sizeof(vc.trapped));
	rt_analyzer_feed(an, &vc);
	EXPECT_TRUE(c.n == 2 && c.kind[1] == RT_REPORT_UNSEEN_WRITER &&
		    has(c.text[1], "racing write from an unseen writer") &&
		    has(c.text[1], "#0 sample_reader") &&
		    has(c.text[1], "\n\n  Previous write by an unseen writer: ") &&
		    has(c.text[1], "SUMMARY: racetrap: data race ") &&
		    !c.site_b[1][0], "c_unseen_writer", "%d reports", c.n);

	/* The same change at an atomic instruction is counted, not reported. */
	vc.sampled.flags |= RACETRAP_SIDE_F_LOCKED;
	rt_analyzer_feed(an, &vc);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 2 && cnt.atomic_unseen == 1 &&
		    cnt.unseen_writers == 1, "c_unseen_writer_at_atomic_ignored",
		    "%d reports, atomic_unseen %" PRIu64, c.n, cnt.atomic_unseen);

	/* A change while a stepping thread went unwatched: counted only. */
	vc.sampled.flags &= ~RACETRAP_SIDE_F_LOCKED;
	vc.flags |= RACETRAP_REC_F_UNWATCHED;
	rt_analyzer_feed(an, &vc);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 2 && cnt.unwatched_unseen == 1 &&
		    cnt.unseen_writers == 1, "c_unseen_writer_while_unwatched_ignored",
		    "%d reports, unwatched_unseen %" PRIu64, c.n,
		    cnt.unwatched_unseen);

	/* A trap pinned on a store whose address is elsewhere: not reported. */
	mis = rec;
	mis.trapped.flags |= RACETRAP_SIDE_F_KNOWN;
	mis.trapped.access = RACETRAP_ACCESS_WRITE;
	mis.trapped.size = 8;
	mis.trapped.addr = rec.watch_addr + 0x100;
	rt_analyzer_feed(an, &mis);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 2 && cnt.hits_unattributed == 1 &&
		    cnt.repeats == 2, "c_trap_on_a_store_elsewhere_ignored",
		    "%d reports, hits_unattributed %" PRIu64 " repeats %" PRIu64,
		    c.n, cnt.hits_unattributed, cnt.repeats);

	memset(&lost, 0, sizeof(lost));
	lost.type = RACETRAP_REC_LOST;
	lost.lost = 7;
	rt_analyzer_feed(an, &lost);
	lost.type = RACETRAP_REC_END;
	lost.end_reason = RACETRAP_END_EXIT;
	rt_analyzer_feed(an, &lost);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 4 && c.kind[2] == RT_REPORT_STATUS &&
		    c.priority[2] == LOG_INFO &&
		    !strcmp(c.text[2], "racetrap: 7 records lost (ring full)") &&
		    has(c.text[3], "the target exited") && cnt.lost == 7,
		    "c_status_records", "%d reports", c.n);

	/* The target exits before the summary: names still resolve. */
	live_stop(&l);
	rt_analyzer_summary(an);
	snprintf(want, sizeof(want), "\n  %s  3 hits  first ", c.fingerprint[0]);
	EXPECT_TRUE(c.n == 5 && c.kind[4] == RT_REPORT_SUMMARY &&
		    has(c.text[4], want) &&
		    has(c.text[4], "sample_writer (sample.c:18) / sample_reader (sample.c:") &&
		    has(c.text[4], "1 race (2 repeats), 1 unseen-writer event,"),
		    "c_summary", "%d reports", c.n);
	if (c.n == 5)
		ktap_diag("summary: %s", c.text[4]);
	rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

/*
 * A trap whose site the kernel did not know (flags without _KNOWN),
 * decoded as a read: in a Go program, whose goroutine windows watch
 * reads, two reads and no conflict against a sampled read, a race
 * against a sampled write; in a C program, whose windows on a read
 * watch writes only, a decoder's mistake, so reported all the same.
 */
static void read_trap(struct live *l, struct racetrap_record *rec,
		      const struct racetrap_site *s_site, uint64_t s_ip,
		      const struct racetrap_site *t_site, uint64_t t_ip,
		      uint64_t caller)
{
	make_hit(l, rec, s_site, s_ip, t_site, t_ip, caller);
	rec->trapped.flags = RACETRAP_SIDE_F_AFTER;
	rec->trapped.access = 0;
	rec->trapped.size = 0;
}

/* Feed @rec; @name passes with @reports reports and @rr read-read traps. */
static void feed_expect(struct rt_analyzer *an, const struct racetrap_record *rec,
			const struct capture *c, int reports, uint64_t rr,
			const char *name)
{
	struct rt_analyzer_counts cnt;

	rt_analyzer_feed(an, rec);
	rt_analyzer_counts(an, &cnt);
	ktap_result(c->n == reports && cnt.hits_read_read == rr, name);
	if (c->n != reports || cnt.hits_read_read != rr)
		ktap_diag("%s: %d reports, hits_read_read %" PRIu64, name,
			  c->n, cnt.hits_read_read);
}

static void test_read_read_go(void)
{
	const struct racetrap_site *w, *rd, *rd2, *rdm;
	uint64_t waddr, raddr, r2addr, rmaddr, caller;
	struct racetrap_record rec;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	struct live l;

	if (live_start("sample_go", &l)) {
		ktap_skip("go_read_read", "sample_go cannot run");
		ktap_skip("go_write_read_at_unknown_site", "sample_go cannot run");
		ktap_skip("go_read_read_thread_held_reported",
			  "sample_go cannot run");
		live_free(&l);
		return;
	}
	waddr = live_site_addr(&l, "main.sampleWriter", RACETRAP_ACCESS_WRITE, &w);
	/* The closure's read of a captured variable: a goroutine window. */
	raddr = live_site_addr(&l, "main.main.func1", RACETRAP_ACCESS_READ, &rd);
	/* memmove called by user code: reported, were it not two reads. */
	r2addr = live_site_addr(&l, "runtime.memmove", RACETRAP_ACCESS_READ,
				&rd2);
	/* A runtime site holds the thread: its window watched writes only. */
	rmaddr = live_site_addr(&l, "runtime.mapassign_fast64",
				RACETRAP_ACCESS_READ, &rdm);
	caller = live_func_addr(&l, "main.main.func1");
	an = new_analyzer(&l, &c, NULL, false);
	if (an && waddr && raddr && r2addr && rmaddr && caller) {
		read_trap(&l, &rec, rd, raddr, rd2, r2addr, caller);
		feed_expect(an, &rec, &c, 0, 1, "go_read_read");
		read_trap(&l, &rec, w, waddr, rd, raddr, caller);
		feed_expect(an, &rec, &c, 1, 1, "go_write_read_at_unknown_site");
		read_trap(&l, &rec, rdm, rmaddr, rd2, r2addr, caller);
		feed_expect(an, &rec, &c, 2, 1,
			    "go_read_read_thread_held_reported");
	} else {
		ktap_result(false, "go_read_read");
		ktap_result(false, "go_write_read_at_unknown_site");
		ktap_result(false, "go_read_read_thread_held_reported");
	}
	if (an)
		rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

static void test_read_read_c(void)
{
	const struct racetrap_site *rd;
	struct racetrap_record rec;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	uint64_t raddr, caller;
	struct live l;

	if (live_start("sample_c", &l)) {
		ktap_skip("c_read_at_unknown_site_reported", "sample_c cannot run");
		ktap_skip("c_read_in_reads_watched_window_dropped",
			  "sample_c cannot run");
		live_free(&l);
		return;
	}
	raddr = live_site_addr(&l, "sample_reader", RACETRAP_ACCESS_READ, &rd);
	caller = live_func_addr(&l, "thread_main");
	an = new_analyzer(&l, &c, NULL, false);
	if (an && raddr && caller) {
		read_trap(&l, &rec, rd, raddr, rd, raddr, caller);
		rec.trapped.tid++;
		feed_expect(an, &rec, &c, 1, 0, "c_read_at_unknown_site_reported");
		/* A window that watched reads: the same trap is no race. */
		rec.flags |= RACETRAP_REC_F_READS_WATCHED;
		rec.trapped.tid++;
		feed_expect(an, &rec, &c, 1, 1,
			    "c_read_in_reads_watched_window_dropped");
	} else {
		ktap_result(false, "c_read_at_unknown_site_reported");
		ktap_result(false, "c_read_in_reads_watched_window_dropped");
	}
	if (an)
		rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

/*
 * A global is named by its ELF symbol, also in .bss past the file's last
 * page (anonymous memory in the maps).
 */
static void test_globals(void)
{
	static const struct {
		const char *var, *test;
		uint64_t size, at;
	} v[] = {
		{ "sample_counter", "c_global_named", 8, 0 },
		{ "sample_bss", "c_global_in_anonymous_bss_named", 65536, 8 * 8000 },
	};
	const struct racetrap_site *w, *rd;
	uint64_t waddr, raddr, bias;
	struct live l;

	if (live_start("sample_c", &l)) {
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			ktap_skip(v[i].test, "sample_c cannot run");
		live_free(&l);
		return;
	}
	waddr = live_site_addr(&l, "sample_writer", RACETRAP_ACCESS_WRITE, &w);
	raddr = live_site_addr(&l, "sample_reader", RACETRAP_ACCESS_READ, &rd);
	bias = w ? waddr - live_off_to_vaddr(l.bin.elf, w->offset) : 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint64_t var = live_data_vaddr(l.bin.elf, v[i].var);
		struct capture c = { 0 };
		struct rt_analyzer *an = new_analyzer(&l, &c, NULL, false);
		struct racetrap_record g;
		char want[256];

		if (an && var && waddr && raddr) {
			make_hit(&l, &g, rd, raddr, w, waddr, waddr);
			g.watch_addr = g.sampled.addr = g.trapped.addr =
				var + bias + v[i].at;
			rt_analyzer_feed(an, &g);
		}
		snprintf(want, sizeof(want), "  Location is global '%s' of size %" PRIu64 " at 0x%" PRIx64 " (sample_c+0x%" PRIx64 ")\n",
			 v[i].var, v[i].size, var + bias, var);
		if (c.n != 1)
			ktap_diag("%s: %d reports", v[i].test, c.n);
		ktap_result(c.n == 1 && has(c.text[0], want), v[i].test);
		rt_analyzer_free(an);
		capture_free(&c);
	}
	live_free(&l);
}

static void test_suppressed(void)
{
	const struct racetrap_site *w, *b;
	struct racetrap_record rec;
	struct rt_analyzer_counts cnt;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	char path[] = "/tmp/racetrap-supp-XXXXXX";
	uint64_t waddr, baddr;
	struct live l;
	int fd;

	if (live_start("sample_c", &l)) {
		ktap_skip("suppressed_by_inlined_function", "sample_c cannot run");
		live_free(&l);
		return;
	}
	fd = mkstemp(path);
	/* sample_bump only exists inlined: suppressions see inlined frames. */
	if (fd < 0 || write(fd, "# test\nrace:^sample_bump$\n", 26) != 26) {
		ktap_result(false, "suppressed_by_inlined_function");
		live_free(&l);
		return;
	}
	close(fd);
	waddr = live_site_addr(&l, "sample_writer", RACETRAP_ACCESS_WRITE, &w);
	baddr = live_site_addr(&l, "sample_bumper", RACETRAP_ACCESS_RMW, &b);
	an = new_analyzer(&l, &c, path, false);
	if (an && waddr && baddr) {
		make_hit(&l, &rec, w, waddr, b, baddr,
			 live_func_addr(&l, "thread_main"));
		rt_analyzer_feed(an, &rec);
		rt_analyzer_feed(an, &rec);
		rt_analyzer_counts(an, &cnt);
		EXPECT_TRUE(c.n == 0 && cnt.suppressed == 2 && cnt.races == 0,
			    "suppressed_by_inlined_function",
			    "%d reports, %" PRIu64 " suppressed", c.n,
			    cnt.suppressed);
	} else {
		ktap_result(false, "suppressed_by_inlined_function");
	}
	rt_analyzer_free(an);
	unlink(path);
	capture_free(&c);
	live_free(&l);
}

static void test_bad_suppressions(void)
{
	struct rt_analyzer_opts o = { .suppressions = "/nonexistent/supp" };
	char err[512] = "";
	struct rt_analyzer *an = rt_analyzer_new(getpid(), &o, err, sizeof(err));

	EXPECT_TRUE(!an && strstr(err, "/nonexistent/supp"),
		    "missing_suppressions_file_is_an_error", "err \"%s\"", err);
	rt_analyzer_free(an);
}

/* Go: a hit against the GC is filtered, one in mapassign is reported. */
static void test_go_runtime_filter(void)
{
	const struct racetrap_site *w, *gc, *ma, *mms;
	struct racetrap_record rec;
	struct rt_analyzer_counts cnt;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	uint64_t waddr, gcaddr, maaddr, caller, mm, cs;
	bool ok;
	struct live l;

	if (live_start("sample_go", &l)) {
		ktap_skip("go_gc_hit_filtered", "sample_go cannot run");
		ktap_skip("go_map_hit_reported", "sample_go cannot run");
		ktap_skip("go_memmove_judged_by_caller", "sample_go cannot run");
		live_free(&l);
		return;
	}
	waddr = live_site_addr(&l, "main.sampleWriter", RACETRAP_ACCESS_WRITE, &w);
	gcaddr = live_site_addr(&l, "runtime.scanobject", RACETRAP_ACCESS_READ, &gc);
	maaddr = live_site_addr(&l, "runtime.mapassign_fast64",
				RACETRAP_ACCESS_READ, &ma);
	caller = live_func_addr(&l, "main.main.func1");
	an = new_analyzer(&l, &c, NULL, false);
	if (!an || !waddr || !gcaddr || !maaddr || !caller) {
		ktap_result(false, "go_gc_hit_filtered");
		ktap_result(false, "go_map_hit_reported");
		ktap_result(false, "go_memmove_judged_by_caller");
		rt_analyzer_free(an);
		live_free(&l);
		return;
	}
	make_hit(&l, &rec, w, waddr, gc, gcaddr, caller);
	rt_analyzer_feed(an, &rec);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 0 && cnt.filtered_runtime == 1,
		    "go_gc_hit_filtered", "%d reports", c.n);
	make_hit(&l, &rec, w, waddr, ma, maaddr, caller);
	rt_analyzer_feed(an, &rec);
	/* Go's -race layout: no size, no indent, two-line frames. */
	EXPECT_TRUE(c.n == 1 && has(c.text[0], "\n  runtime.mapassign_fast64()\n      /") &&
		    has(c.text[0], "WARNING: DATA RACE\nWrite at 0x5000 by thread ") &&
		    has(c.text[0], ":\n  main.sampleWriter()\n      /") &&
		    has(c.text[0], "tests/data/sample.go:19 (sample_go+0x") &&
		    has(c.text[0], ")\n\nPrevious read at 0x5000 by thread ") &&
		    has(c.text[0], "\nValue before: ") &&
		    has(c.text[0], "sample.go:19 in main.sampleWriter\n") &&
		    has(c.text[0], "sample.go:19 "),
		    "go_map_hit_reported", "%d reports", c.n);
	if (c.n)
		ktap_diag("go report:\n%s", c.text[0]);

	/* memmove decides by its caller: copystack is the runtime's. */
	mm = live_site_addr(&l, "runtime.memmove", RACETRAP_ACCESS_READ, &mms);
	cs = live_func_addr(&l, "runtime.copystack");
	if (mm && cs) {
		int before = c.n;

		make_hit(&l, &rec, w, waddr, mms, mm, caller);
		rec.trapped.stack[1] = cs;
		rt_analyzer_feed(an, &rec);
		rt_analyzer_counts(an, &cnt);
		ok = c.n == before && cnt.filtered_runtime == 2;
		/* Another site pair: memmove called from user code. */
		mm = live_site_addr(&l, "runtime.memmove", RACETRAP_ACCESS_WRITE, &mms);
		make_hit(&l, &rec, w, waddr, mms, mm, caller);
		rt_analyzer_feed(an, &rec);
		EXPECT_TRUE(ok && c.n == before + 1 &&
			    has(c.text[before], "\n  runtime.memmove()\n"),
			    "go_memmove_judged_by_caller", "%d reports", c.n);
	} else {
		ktap_result(false, "go_memmove_judged_by_caller");
	}
	rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

/*
 * Feed @rec to a fresh analyzer (with --report-atomics if @atomics) and
 * return how many reports it made; the first report's text in @text.
 */
static int feed_one(struct live *l, const struct racetrap_record *rec,
		    bool atomics, struct rt_analyzer_counts *cnt,
		    char *text, size_t len)
{
	struct rt_analyzer_opts o = {
		.report_atomics = atomics, .emit = capture_emit,
	};
	struct capture c = { 0 };
	struct rt_analyzer *an;
	char err[512];
	int n;

	o.emit_arg = &c;
	an = rt_analyzer_new(l->proc.pid, &o, err, sizeof(err));
	if (!an)
		return -1;
	live_add_table(l, an);
	rt_analyzer_feed(an, rec);
	rt_analyzer_counts(an, cnt);
	n = c.n;
	snprintf(text, len, "%s", n ? c.text[0] : "");
	rt_analyzer_free(an);
	capture_free(&c);
	return n;
}

/*
 * The atomic-pair rule: a plain access against a locked one of the same
 * size at the same aligned address, or a wider aligned plain load
 * covering it, is an atomic pair, counted and not reported unless asked;
 * a store of another size, a narrower load or a misaligned address is a
 * race.  And
 * what every report shows must be true: no frame from a return address
 * outside code, "unknown" for a value the kernel could not read, and a
 * note when the other access had not run yet.
 */
static void test_atomic_pairs_and_truth(void)
{
	const struct racetrap_site *w, *rd;
	struct racetrap_record rec, r;
	struct rt_analyzer_counts cnt;
	uint64_t waddr, raddr, caller;
	char text[4096];
	struct live l;
	int n;

	if (live_start("sample_c", &l)) {
		ktap_skip("atomic_pairs", "sample_c cannot run");
		live_free(&l);
		return;
	}
	waddr = live_site_addr(&l, "sample_writer", RACETRAP_ACCESS_WRITE, &w);
	raddr = live_site_addr(&l, "sample_reader", RACETRAP_ACCESS_READ, &rd);
	caller = live_func_addr(&l, "thread_main");
	make_hit(&l, &rec, rd, raddr, w, waddr, caller);
	rec.trapped.flags |= RACETRAP_SIDE_F_LOCKED;	/* as an xchg */

	n = feed_one(&l, &rec, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 0 && cnt.hits_atomic == 1 && cnt.races == 0,
		    "atomic_pair_not_reported", "%d reports, hits_atomic %" PRIu64,
		    n, cnt.hits_atomic);
	n = feed_one(&l, &rec, true, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 1 && has(text, "Previous atomic write of size 8") &&
		    cnt.hits_atomic == 0, "atomic_pair_reported_when_asked",
		    "%d reports", n);
	r = rec;
	r.trapped.size = 4;	/* the plain 8-byte load covers it */
	n = feed_one(&l, &r, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 0 && cnt.hits_atomic == 1,
		    "wider_load_over_locked_is_atomic", "%d reports", n);
	r.sampled.access = RACETRAP_ACCESS_WRITE;
	n = feed_one(&l, &r, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 1 && cnt.hits_atomic == 0, "mixed_size_store_is_a_race",
		    "%d reports", n);
	r = rec;
	r.sampled.size = 4;	/* a load inside the locked 8 bytes */
	n = feed_one(&l, &r, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 1 && cnt.hits_atomic == 0, "narrower_load_is_a_race",
		    "%d reports", n);
	r = rec;
	r.watch_addr = r.sampled.addr = r.trapped.addr = 0x5004;
	n = feed_one(&l, &r, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 1 && cnt.hits_atomic == 0, "misaligned_is_a_race",
		    "%d reports", n);

	/* %rbp held data: 0x1 and a stack address are no return addresses. */
	r = rec;
	r.trapped.flags &= ~RACETRAP_SIDE_F_LOCKED;
	r.trapped.stack[1] = 0x1;
	r.sampled.stack[1] = (uintptr_t)&r;
	r.flags = RACETRAP_REC_F_VALUE_AFTER_UNKNOWN;
	n = feed_one(&l, &r, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 1 && !strstr(text, "#1 ") && !strstr(text, "(unknown)"),
		    "no_frame_outside_code", "%d reports", n);
	if (n == 1 && strstr(text, "#1 "))
		ktap_diag("report:\n%s", text);
	EXPECT_TRUE(n == 1 && has(text, "Value before: 0x2a, after: unknown\n"),
		    "unreadable_value_is_unknown", "%d reports", n);
	r.flags = 0;
	r.value_after = r.value_before;
	r.trapped.flags |= RACETRAP_SIDE_F_PENDING;
	n = feed_one(&l, &r, false, &cnt, text, sizeof(text));
	EXPECT_TRUE(n == 1 &&
		    has(text, "Value before: 0x2a, after: 0x2a (the other access had not run yet)\n"),
		    "pending_access_said", "%d reports", n);
	live_free(&l);
}

/*
 * A stripped binary: no symbol to decode the trapped instruction from, so
 * only the site table places it.  The same race, with either side
 * sampled, in two runs (two ASLR layouts), has one fingerprint.  The
 * sites are found by name in the unstripped copy: strip leaves the code
 * where it was.
 */
static void test_stripped_fingerprint(void)
{
	const struct racetrap_site *w, *rd;
	char fp[2][32] = { "", "" };
	struct live ref, s;
	struct rt_sites_opts so = { .keep_runtime = true };
	char err[256];
	bool ok = true;

	memset(&s, 0, sizeof(s));
	if (live_start("sample_c", &ref) ||
	    test_data_path("sample_c_stripped", s.bin.path, sizeof(s.bin.path)) ||
	    (s.bin.fd = open(s.bin.path, O_RDONLY)) < 0 ||
	    rt_sites_decode_file(s.bin.fd, &so, &s.bin.table, err, sizeof(err))) {
		ktap_skip("stripped_one_fingerprint", "sample_c_stripped cannot run");
		live_free(&ref);
		return;
	}
	w = live_site(&ref.bin, "sample_writer", RACETRAP_ACCESS_WRITE);
	rd = live_site(&ref.bin, "sample_reader", RACETRAP_ACCESS_READ);
	for (int run = 0; run < 2 && ok && w && rd; run++) {
		struct racetrap_record rec, swapped;
		struct rt_analyzer_counts cnt;
		struct capture c = { 0 };
		struct rt_analyzer *an;
		uint64_t waddr, raddr;

		if (test_proc_start(s.bin.path, &s.proc)) {
			ok = false;
			break;
		}
		waddr = live_addr(s.proc.pid, &s.bin, w->offset, &s.map_start,
				  &s.map_offset);
		raddr = live_addr(s.proc.pid, &s.bin, rd->offset, NULL, NULL);
		an = new_analyzer(&s, &c, NULL, false);
		if (an && waddr && raddr) {
			make_hit(&s, &rec, rd, raddr, w, waddr, raddr);
			make_hit(&s, &swapped, w, waddr, rd, raddr, waddr);
			rec.sampled.nr_frames = rec.trapped.nr_frames = 1;
			swapped.sampled.nr_frames = swapped.trapped.nr_frames = 1;
			rt_analyzer_feed(an, &rec);
			rt_analyzer_feed(an, &swapped);
			rt_analyzer_counts(an, &cnt);
			ok = c.n == 1 && cnt.races == 1 && cnt.repeats == 1;
			snprintf(fp[run], sizeof(fp[run]), "%s",
				 c.n ? c.fingerprint[0] : "");
			ktap_diag("run %d at 0x%" PRIx64 ": %d reports, %" PRIu64
				  " repeats, fingerprint %s, sites %s %s", run,
				  s.map_start, c.n, cnt.repeats, fp[run],
				  c.site_a[0], c.site_b[0]);
		} else {
			ok = false;
		}
		rt_analyzer_free(an);
		capture_free(&c);
		test_proc_stop(&s.proc);
	}
	EXPECT_TRUE(ok && w && rd && fp[0][0] && !strcmp(fp[0], fp[1]),
		    "stripped_one_fingerprint", "fingerprints %s %s", fp[0],
		    fp[1]);
	rt_site_table_release(&s.bin.table);
	close(s.bin.fd);
	live_free(&ref);
}

/* Throttle status: shown once, then at most once a minute of kernel time. */
static void test_throttle_coalesced(void)
{
	static const uint64_t at_s[] = { 5, 6, 30, 66, 67 };
	struct racetrap_record rec;
	struct capture c = { 0 };
	struct live l;
	struct rt_analyzer *an;

	if (live_start("sample_c", &l)) {
		ktap_result(false, "throttle_status_coalesced");
		return;
	}
	an = new_analyzer(&l, &c, NULL, false);
	memset(&rec, 0, sizeof(rec));
	rec.type = RACETRAP_REC_THROTTLE;
	for (size_t i = 0; an && i < sizeof(at_s) / sizeof(at_s[0]); i++) {
		rec.timestamp_ns = at_s[i] * 1000000000ULL;
		rec.lost = i + 1;
		rt_analyzer_feed(an, &rec);
	}
	EXPECT_TRUE(an && c.n == 2 && has(c.text[0], "(1 sample skipped") &&
		    has(c.text[1], "(4 samples skipped"),
		    "throttle_status_coalesced", "%d status reports", c.n);
	if (an)
		rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

/*
 * A site sample holds its thread just after its access, so the trapped
 * access came later: it is printed first, the sampled one as "Previous".
 */
static void test_site_order(void)
{
	struct racetrap_record rec;
	struct capture c = { 0 };
	struct rt_analyzer *an;
	struct c_pair cp;
	struct live l;
	const char *t, *rd, *prev;

	if (live_start("sample_c", &l)) {
		ktap_skip("site_sample_printed_first", "sample_c cannot run");
		live_free(&l);
		return;
	}
	an = new_analyzer(&l, &c, NULL, false);
	if (an && c_pair_of(&l, &cp)) {
		/*
		 * The reader was sampled by a site breakpoint, before its
		 * read; the writer trapped in the window.
		 */
		make_hit(&l, &rec, cp.rd, cp.raddr, cp.w, cp.waddr, cp.caller);
		rec.trigger = RACETRAP_REC_TRIGGER_SITE;
		rt_analyzer_feed(an, &rec);
	}
	t = c.n == 1 ? c.text[0] : NULL;
	rd = t ? strstr(t, "\n  Read of size 8 at 0x5000 by thread ") : NULL;
	prev = t ? strstr(t, "\n  Previous write of size 8 at 0x5000 by thread ") : NULL;
	EXPECT_TRUE(rd && prev && rd < prev &&
		    has(t, "trigger: site  window: 500us\n"),
		    "site_sample_printed_first", "%d reports", c.n);
	if (t && !(rd && prev))
		ktap_diag("report:\n%s", t);
	if (an)
		rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

/* A thread names itself: its name must reach no terminal or log raw. */
static void test_comm_control_chars(void)
{
	char comm[32];
	bool clean;

	prctl(PR_SET_NAME, "x\033[31mred\tz");
	rt_read_comm(getpid(), (pid_t)syscall(SYS_gettid), comm, sizeof(comm));
	clean = !test_has_controls(comm);
	if (!clean || strcmp(comm, "x?[31mred?z"))
		ktap_diag("comm read as '%s'", comm);
	ktap_result(clean && !strcmp(comm, "x?[31mred?z"),
		    "comm_control_characters_replaced");
}

/* aeshashbody's load of a short key: MOVOU -16(AX), 16 bytes. */
static const struct racetrap_site *aeshash_load(struct live *l,
						 uint64_t *addr)
{
	const struct racetrap_site *first;

	*addr = live_site_addr(l, "aeshashbody", RACETRAP_ACCESS_READ, &first);
	for (const struct racetrap_site *s = first;
	     s && *addr && s < l->bin.table.sites + l->bin.table.nr_sites;
	     s++) {
		if (s->base == RACETRAP_REG_RAX && s->disp == -16 &&
		    s->size == 16 && s->access == RACETRAP_ACCESS_READ) {
			*addr += s->offset - first->offset;
			return s;
		}
	}
	return NULL;
}

/*
 * Go's hash of a short map key reads 16 bytes and uses the key's: a
 * write beside the key, in those 16 bytes, is no race (the summary
 * counts it); a write to the key's own bytes is.
 */
static void test_go_hash_overread(void)
{
	struct racetrap_user_dump dump = {
		.size = sizeof(dump), .side = RACETRAP_DUMP_SAMPLED,
		.nr_regs = RACETRAP_DUMP_NR_REGS,
	};
	const struct racetrap_user_dump *dumps[2] = { &dump, NULL };
	const struct racetrap_site *w, *h;
	struct racetrap_record rec;
	struct rt_analyzer_counts cnt;
	struct capture c = { 0 };
	struct rt_analyzer *an = NULL;
	uint64_t waddr = 0, haddr = 0, caller = 0;
	struct live l;

	if (live_start("sample_go", &l)) {
		ktap_skip("go_hash_overread_beside_key_ignored",
			  "sample_go cannot run");
		ktap_skip("go_hash_overread_on_key_reported",
			  "sample_go cannot run");
		live_free(&l);
		return;
	}
	waddr = live_site_addr(&l, "main.sampleWriter", RACETRAP_ACCESS_WRITE, &w);
	h = aeshash_load(&l, &haddr);
	caller = live_func_addr(&l, "runtime.mapassign_faststr");
	if (h && waddr)
		an = new_analyzer(&l, &c, NULL, false);
	if (!an || !caller) {
		ktap_result(false, "go_hash_overread_beside_key_ignored");
		ktap_result(false, "go_hash_overread_on_key_reported");
		rt_analyzer_free(an);
		live_free(&l);
		return;
	}
	/* A 7-byte key at 0x5000; the window watches 0x5008-0x500f. */
	make_hit(&l, &rec, h, haddr, w, waddr, caller);
	rec.watch_addr = 0x5008;
	rec.trapped.addr = 0x500a;
	rec.trapped.size = 2;
	dump.regs[RACETRAP_DUMP_RAX] = 0x5010;
	dump.regs[RACETRAP_DUMP_RCX] = 7;
	dump.regs[RACETRAP_DUMP_RIP] = haddr;
	rt_analyzer_feed_dumps(an, &rec, dumps);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 0 && cnt.hits_overread == 1,
		    "go_hash_overread_beside_key_ignored",
		    "%d reports, hits_overread %" PRIu64, c.n,
		    cnt.hits_overread);
	/* A 12-byte key: the write is in it. */
	dump.regs[RACETRAP_DUMP_RCX] = 12;
	rt_analyzer_feed_dumps(an, &rec, dumps);
	rt_analyzer_counts(an, &cnt);
	EXPECT_TRUE(c.n == 1 && cnt.hits_overread == 1,
		    "go_hash_overread_on_key_reported",
		    "%d reports, hits_overread %" PRIu64, c.n,
		    cnt.hits_overread);
	rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
}

int main(void)
{
	ktap_start(36);
	test_throttle_coalesced();
	test_stripped_fingerprint();
	test_atomic_pairs_and_truth();
	test_c_races();
	test_read_read_go();
	test_read_read_c();
	test_site_order();
	test_globals();
	test_suppressed();
	test_bad_suppressions();
	test_go_runtime_filter();
	test_go_hash_overread();
	test_comm_control_chars();
	return ktap_finish();
}
