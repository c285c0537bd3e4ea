// SPDX-License-Identifier: GPL-2.0
/*
 * Goroutines in Go reports, from synthetic records carrying the context
 * words the kernel reads at a live sample_go's g (goid, gopc): "by
 * goroutine N" and "Goroutine N (running) created at:" naming the `go`
 * statement (gopc is the return address of its call to runtime.newproc,
 * found with objdump), in text and JSON; the main goroutine as Go names
 * it; thread ids where the words are missing or name no goroutine; one
 * block for one goroutine; and fingerprints that do not change with the
 * goroutine ids.
 */
#include <inttypes.h>

#include "capture.h"

static bool has(const char *text, const char *needle)
{
	bool ok = text && strstr(text, needle);

	if (!ok)
		ktap_diag("missing \"%s\"", needle);
	return ok;
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The line of sample.go that carries @marker, 0 if none. */
static int marker_line(const char *marker)
{
	FILE *f = fopen(RT_TOP "/userspace/tests/data/sample.go", "re");
	char buf[512];
	int line = 0, found = 0;

	while (f && !found && fgets(buf, sizeof(buf), f)) {
		line++;
		if (strstr(buf, marker))
			found = line;
	}
	if (f)
		fclose(f);
	return found;
}

/* The live address after main.main's call to runtime.newproc: a gopc. */
static uint64_t live_gopc(struct live *l)
{
	char cmd[4400], *out, *p;
	uint64_t vaddr = 0, off;

	snprintf(cmd, sizeof(cmd),
		 "objdump -d --no-show-raw-insn --disassemble=main.main '%s' | grep -A1 'call.*<runtime.newproc>' | tail -1",
		 l->bin.path);
	out = test_capture(cmd);
	if (!out)
		return 0;
	p = out + strspn(out, " \t");
	if (sscanf(p, "%" SCNx64 ":", &vaddr) != 1)
		vaddr = 0;
	free(out);
	if (!vaddr || !live_vaddr_to_off(l->bin.elf, vaddr, &off))
		return 0;
	return live_addr(l->proc.pid, &l->bin, off, NULL, NULL);
}

/* Feed @rec to a fresh Go analyzer; its first report in @out. */
static int go_report(struct live *l, const struct racetrap_record *rec,
		     bool json, char *out, size_t len)
{
	struct capture c = { .json = json };
	struct rt_analyzer_opts o = {
		.go = true, .emit = capture_emit, .emit_arg = &c,
	};
	struct rt_analyzer *an;
	char err[512];
	int n;

	an = rt_analyzer_new(l->proc.pid, &o, err, sizeof(err));
	if (!an)
		return -1;
	live_add_table(l, an);
	rt_analyzer_feed(an, rec);
	n = c.n;
	snprintf(out, len, "%s", n ? c.text[0] : "");
	rt_analyzer_free(an);
	capture_free(&c);
	return n;
}

static void set_ctx(struct racetrap_record *r, uint64_t s_goid, uint64_t s_pc,
		    uint64_t t_goid, uint64_t t_pc)
{
	r->sampled.flags |= RACETRAP_SIDE_F_CTX;
	r->trapped.flags |= RACETRAP_SIDE_F_CTX;
	r->sampled_ctx[0] = s_goid;
	r->sampled_ctx[1] = s_pc;
	r->trapped_ctx[0] = t_goid;
	r->trapped_ctx[1] = t_pc;
}

#define NR_TESTS 7

int main(void)
{
	const struct racetrap_site *w, *ma;
	struct racetrap_record rec, r;
	uint64_t waddr, maaddr, caller, gopc;
	char text[16384], want[256];
	int go_line = marker_line("SAMPLE_GO_GO_LINE");
	struct capture c = { 0 };
	struct rt_analyzer_opts o = { .go = true, .emit = capture_emit };
	struct rt_analyzer_counts cnt;
	struct rt_analyzer *an;
	char err[512];
	struct live l;

	ktap_start(NR_TESTS);
	if (live_start("sample_go", &l)) {
		ktap_skip_rest("sample_go cannot run");
		live_free(&l);
		return ktap_finish();
	}
	waddr = live_site_addr(&l, "main.sampleWriter", RACETRAP_ACCESS_WRITE, &w);
	maaddr = live_site_addr(&l, "runtime.mapassign_fast64",
				RACETRAP_ACCESS_READ, &ma);
	caller = live_func_addr(&l, "main.main.func1");
	gopc = live_gopc(&l);
	if (!waddr || !maaddr || !caller || !gopc || !go_line) {
		ktap_diag("sites %#" PRIx64 " %#" PRIx64 " caller %#" PRIx64
			  " gopc %#" PRIx64 " line %d", waddr, maaddr, caller,
			  gopc, go_line);
		ktap_skip_rest("setup failed");
		live_free(&l);
		return ktap_finish();
	}
	make_hit(&l, &rec, w, waddr, ma, maaddr, caller);

	/* Two goroutines: each named, each with its `go` statement. */
	r = rec;
	set_ctx(&r, 17, gopc, 18, gopc);
	snprintf(want, sizeof(want),
		 "  main.main()\n      %s/userspace/tests/data/sample.go:%d (sample_go+0x",
		 RT_TOP, go_line);
	EXPECT_TRUE(go_report(&l, &r, false, text, sizeof(text)) == 1 &&
		    has(text, "WARNING: DATA RACE\nWrite at 0x5000 by goroutine 17:\n  main.sampleWriter()\n") &&
		    has(text, "\n\nPrevious read at 0x5000 by goroutine 18:\n  runtime.mapassign_fast64()\n") &&
		    has(text, "\n\nGoroutine 17 (running) created at:\n  main.main()\n      /") &&
		    has(text, "\n\nGoroutine 18 (running) created at:\n  main.main()\n      /") &&
		    count(text, want) == 2 && !strstr(text, "by thread"),
		    "text_goroutines_created_at", "want 2 x %s in\n%s", want,
		    text);

	/* One goroutine on both sides (not a real race): one block. */
	r = rec;
	set_ctx(&r, 17, gopc, 17, gopc);
	go_report(&l, &r, false, text, sizeof(text));
	EXPECT_TRUE(count(text, "created at:") == 1 &&
		    count(text, "by goroutine 17:") == 2,
		    "text_same_goroutine_once", "%s", text);

	/* Go's names: the main goroutine, and no creation block for it. */
	r = rec;
	set_ctx(&r, 17, gopc, 1, gopc);
	go_report(&l, &r, false, text, sizeof(text));
	EXPECT_TRUE(has(text, "Previous read at 0x5000 by main goroutine:\n") &&
		    count(text, "created at:") == 1 &&
		    !strstr(text, "Goroutine 1 "),
		    "text_main_goroutine", "%s", text);

	/*
	 * No words (no DWARF, an older module), goroutine 0 (g0) or no
	 * gopc: the thread, and no creation block.
	 */
	r = rec;
	set_ctx(&r, 0, gopc, 18, 0);
	go_report(&l, &r, false, text, sizeof(text));
	EXPECT_TRUE(count(text, "by thread ") == 2 &&
		    !strstr(text, "oroutine ") && !strstr(text, "created at"),
		    "text_unknown_goroutine_thread",
		    "%s", text);
	r = rec;
	r.sampled_ctx[0] = 17;
	r.sampled_ctx[1] = gopc;	/* without RACETRAP_SIDE_F_CTX */
	go_report(&l, &r, false, text, sizeof(text));
	EXPECT_TRUE(count(text, "by thread ") == 2 && !strstr(text, "oroutine "),
		    "text_no_ctx_flag_thread", "%s", text);

	/* JSON: the id and the creation frames, null where unknown. */
	r = rec;
	set_ctx(&r, 17, gopc, 0, 0);
	go_report(&l, &r, true, text, sizeof(text));
	snprintf(want, sizeof(want),
		 "\"function\":\"main.main\",\"file\":\"%s/userspace/tests/data/sample.go\",\"line\":%d,",
		 RT_TOP, go_line);
	EXPECT_TRUE(has(text, "\"goroutine\":17,\"created_at\":[{\"ip\":\"0x") &&
		    has(text, want) &&
		    has(text, "\"goroutine\":null,\"created_at\":null}") &&
		    has(text, "\"schema\":2,"),
		    "json_goroutine_created_at", "%s", text);

	/* The same race from other goroutines is the same race. */
	o.emit_arg = &c;
	an = rt_analyzer_new(l.proc.pid, &o, err, sizeof(err));
	if (an) {
		live_add_table(&l, an);
		r = rec;
		set_ctx(&r, 17, gopc, 18, gopc);
		rt_analyzer_feed(an, &r);
		set_ctx(&r, 40, gopc, 41, caller);
		rt_analyzer_feed(an, &r);
		rt_analyzer_counts(an, &cnt);
	}
	EXPECT_TRUE(an && c.n == 1 && cnt.repeats == 1,
		    "fingerprint_ignores_goroutines", "%d reports, %" PRIu64
		    " repeats", c.n, an ? cnt.repeats : 0);
	rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
	return ktap_finish();
}
