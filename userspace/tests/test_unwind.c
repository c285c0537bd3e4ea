// SPDX-License-Identifier: GPL-2.0
/*
 * The CFI unwinder on stack dumps like the module's: a thread of this
 * test, in functions built without frame pointers, records its
 * registers and 4 KiB of its stack as the kernel does; the unwind must
 * find every caller down to libc's thread start, a dump cut short must
 * end the unwind cleanly, the analyzer must prefer the unwound stack to a
 * one-frame frame-pointer stack, and records with dumps must decode (and
 * malformed dumps be refused).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <syslog.h>

#include "analyzer.h"
#include "kapi.h"
#include "sink.h"
#include "symbolize.h"
#include "testlib.h"

#define SLICE 4096

struct dumpbuf {
	struct racetrap_user_dump d;
	unsigned char stack[SLICE];
};

static struct dumpbuf captured;

/*
 * The registers the unwinder starts from, in one asm statement so that
 * %rip and %rsp agree; then the stack above %rsp, which calls made from
 * here (below %rsp) do not touch.  A thread's stack has its descriptor
 * and TLS above the first frame, so SLICE bytes are mapped.
 */
static __attribute__((noinline, noclone)) int capture(struct dumpbuf *b)
{
	__u64 *r = b->d.regs;

	memset(b, 0, sizeof(*b));
	__asm__ volatile("lea 0(%%rip), %%rax\n\t"
			 "mov %%rax, 128(%0)\n\t"
			 "mov %%rsp, 56(%0)\n\t"
			 "mov %%rbp, 48(%0)\n\t"
			 "mov %%rbx, 24(%0)\n\t"
			 "mov %%r12, 96(%0)\n\t"
			 "mov %%r13, 104(%0)\n\t"
			 "mov %%r14, 112(%0)\n\t"
			 "mov %%r15, 120(%0)\n\t"
			 : : "r"(r) : "rax", "memory");
	memcpy(b->stack, (const void *)(uintptr_t)r[RACETRAP_DUMP_RSP], SLICE);
	b->d.size = sizeof(*b);
	b->d.side = RACETRAP_DUMP_SAMPLED;
	b->d.nr_regs = RACETRAP_DUMP_NR_REGS;
	b->d.stack_len = SLICE;
	return 1;
}

/* No tail calls: each returns after its call, so each keeps a frame. */
static __attribute__((noinline, noclone)) int unwind_level2(struct dumpbuf *b)
{
	int r = capture(b);

	__asm__ volatile("" : : : "memory");
	return r + 1;
}

static __attribute__((noinline, noclone)) int unwind_level1(struct dumpbuf *b)
{
	int r = unwind_level2(b);

	__asm__ volatile("" : : : "memory");
	return r + 1;
}

static void *unwind_thread(void *arg)
{
	int r = unwind_level1(arg);

	__asm__ volatile("" : : : "memory");
	return (void *)(intptr_t)r;
}

static bool frames_have(const struct rt_frames *f, const char *fn)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].function && !strcmp(f->v[i].function, fn))
			return true;
	return false;
}

static bool frames_in_libc(const struct rt_frames *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].module && strstr(f->v[i].module, "libc.so"))
			return true;
	return false;
}

static void test_unwind(struct rt_symbolizer *s)
{
	struct rt_frames f = { 0 };
	uint64_t pcs[RACETRAP_MAX_STACK];
	bool ok = true;
	size_t n;

	n = rt_symbolizer_unwind(s, 1, &captured.d, pcs, RACETRAP_MAX_STACK);
	for (size_t i = 0; i < n; i++)
		rt_symbolize(s, pcs[i], i > 0, &f);
	ok &= EXPECT_TRUE(n >= 4 && pcs[0] == captured.d.regs[RACETRAP_DUMP_RIP],
			  "unwind_frames", "%zu frames", n);
	ok &= EXPECT_TRUE(frames_have(&f, "capture") &&
			  frames_have(&f, "unwind_level2") &&
			  frames_have(&f, "unwind_level1") &&
			  frames_have(&f, "unwind_thread"),
			  "unwind_every_caller", "callers missing");
	ok &= EXPECT_TRUE(frames_in_libc(&f), "unwind_into_libc",
			  "no frame in libc (start_thread)");
	for (size_t i = 0; !ok && i < f.n; i++)
		ktap_diag("#%zu %s (%s)", i, f.v[i].function ? f.v[i].function : "?",
			  f.v[i].module ? f.v[i].module : "?");
	rt_frames_free(&f);
}

static void test_cut_short(struct rt_symbolizer *s)
{
	struct dumpbuf *b = malloc(sizeof(*b));
	uint64_t pcs[RACETRAP_MAX_STACK];
	size_t n;

	memcpy(b, &captured, sizeof(*b));
	b->d.stack_len = 0;
	n = rt_symbolizer_unwind(s, 1, &b->d, pcs, RACETRAP_MAX_STACK);
	EXPECT_TRUE(n == 1, "unwind_empty_slice", "%zu frames", n);
	memcpy(b, &captured, sizeof(*b));
	b->d.regs[RACETRAP_DUMP_RIP] = 0x10;
	n = rt_symbolizer_unwind(s, 1, &b->d, pcs, RACETRAP_MAX_STACK);
	EXPECT_TRUE(n == 0, "unwind_unmapped_ip", "%zu frames", n);
	/* And it still works after those. */
	n = rt_symbolizer_unwind(s, 1, &captured.d, pcs, 3);
	EXPECT_TRUE(n == 3, "unwind_max_frames", "%zu frames", n);
	free(b);
}

static char *report_text;

static void keep(void *arg, const struct rt_report *r)
{
	struct rt_strbuf b;

	(void)arg;
	if (r->kind != RT_REPORT_UNSEEN_WRITER || report_text)
		return;
	rt_strbuf_init(&b);
	rt_render_text(&b, r);
	report_text = strdup(rt_strbuf_str(&b));
	rt_strbuf_free(&b);
}

/* A one-frame frame-pointer stack with a dump: the report shows callers. */
static void test_analyzer_prefers_unwind(void)
{
	struct rt_analyzer_opts o = { .emit = keep };
	const struct racetrap_user_dump *dumps[2] = { &captured.d, NULL };
	struct racetrap_record rec = {
		.size = sizeof(rec), .version = RACETRAP_ABI_VERSION,
		.type = RACETRAP_REC_VALUE_CHANGE, .pid = (uint32_t)getpid(),
		.watch_addr = 0x5000, .watch_len = 8, .value_before = 1,
		.value_after = 2, .flags = RACETRAP_REC_F_DUMP,
	};
	char err[256];
	struct rt_analyzer *an = rt_analyzer_new(getpid(), &o, err, sizeof(err));

	if (!an) {
		ktap_result(false, "analyzer_uses_unwind");
		ktap_diag("%s", err);
		return;
	}
	rec.sampled.tid = (uint32_t)getpid();
	rec.sampled.flags = RACETRAP_SIDE_F_KNOWN;
	rec.sampled.ip = captured.d.regs[RACETRAP_DUMP_RIP];
	rec.sampled.addr = 0x5000;
	rec.sampled.size = 8;
	rec.sampled.access = RACETRAP_ACCESS_WRITE;
	rec.sampled.nr_frames = 1;
	rec.sampled.stack[0] = rec.sampled.ip;
	rt_analyzer_feed_dumps(an, &rec, dumps);
	EXPECT_TRUE(report_text && strstr(report_text, "unwind_level1") &&
		    strstr(report_text, "unwind_thread"),
		    "analyzer_uses_unwind", "report: %s",
		    report_text ? report_text : "(none)");
	rt_analyzer_free(an);
	free(report_text);
}

static void test_decode(void)
{
	size_t fixed = sizeof(struct racetrap_record);
	size_t len = fixed + 2 * sizeof(struct dumpbuf);
	uint64_t *raw = calloc(1, len);
	struct racetrap_record *rec = (void *)raw;
	struct racetrap_user_dump *a = (void *)((char *)raw + fixed);
	struct racetrap_user_dump *b =
		(void *)((char *)raw + fixed + sizeof(struct dumpbuf));
	struct rt_record out;

	rec->size = (uint32_t)len;
	rec->type = RACETRAP_REC_HIT;
	rec->flags = RACETRAP_REC_F_DUMP;
	memcpy(a, &captured, sizeof(captured));
	memcpy(b, &captured, sizeof(captured));
	b->side = RACETRAP_DUMP_TRAPPED;
	rt_record_decode(&out, raw, len, fixed);
	EXPECT_TRUE(out.dump[RACETRAP_DUMP_SAMPLED] == a &&
		    out.dump[RACETRAP_DUMP_TRAPPED] == b &&
		    out.rec.type == RACETRAP_REC_HIT,
		    "decode_two_dumps", "dumps not found");
	b->nr_regs = 3;
	rt_record_decode(&out, raw, len, fixed);
	EXPECT_TRUE(!out.dump[0] && !out.dump[1], "decode_bad_dump_refused",
		    "a malformed dump was taken");
	b->nr_regs = RACETRAP_DUMP_NR_REGS;
	b->side = RACETRAP_DUMP_SAMPLED;
	rt_record_decode(&out, raw, len, fixed);
	EXPECT_TRUE(!out.dump[0] && !out.dump[1], "decode_same_side_twice",
		    "two sampled dumps taken");
	b->side = RACETRAP_DUMP_TRAPPED;
	b->stack_len = SLICE + 8;
	rt_record_decode(&out, raw, len, fixed);
	EXPECT_TRUE(!out.dump[0] && !out.dump[1], "decode_overlong_stack",
		    "stack_len past the block taken");
	b->stack_len = SLICE;
	rec->flags = 0;
	rt_record_decode(&out, raw, len, fixed);
	EXPECT_TRUE(!out.dump[0] && !out.dump[1], "decode_without_flag",
		    "dumps without RACETRAP_REC_F_DUMP");

	/* Context words: taken from a record that has them; a module's
	 * shorter record (no FEAT_CTX_WORDS) has none, whatever follows. */
	rec->flags = RACETRAP_REC_F_DUMP;
	rec->sampled.flags = rec->trapped.flags = RACETRAP_SIDE_F_CTX;
	rec->sampled_ctx[0] = 17;
	rec->trapped_ctx[1] = 0x401000;
	rt_record_decode(&out, raw, len, fixed);
	EXPECT_TRUE(out.rec.sampled_ctx[0] == 17 &&
		    out.rec.trapped_ctx[1] == 0x401000 &&
		    (out.rec.sampled.flags & RACETRAP_SIDE_F_CTX) &&
		    (out.rec.trapped.flags & RACETRAP_SIDE_F_CTX),
		    "decode_ctx_words", "context words lost");
	fixed = offsetof(struct racetrap_record, sampled_ctx);
	memcpy((char *)raw + fixed, &captured, sizeof(captured));
	rec->size = (uint32_t)(fixed + sizeof(struct dumpbuf));
	rt_record_decode(&out, raw, rec->size, fixed);
	EXPECT_TRUE(!out.rec.sampled_ctx[0] && !out.rec.sampled_ctx[1] &&
		    !out.rec.trapped_ctx[0] && !out.rec.trapped_ctx[1] &&
		    !(out.rec.sampled.flags & RACETRAP_SIDE_F_CTX) &&
		    !(out.rec.trapped.flags & RACETRAP_SIDE_F_CTX) &&
		    out.dump[RACETRAP_DUMP_SAMPLED] ==
		    (const void *)((char *)raw + fixed),
		    "decode_short_record_no_ctx",
		    "ctx %" PRIx64 " flags %#x",
		    (uint64_t)out.rec.sampled_ctx[0], out.rec.sampled.flags);
	free(raw);
}

int main(void)
{
	struct rt_symbolizer *s;
	pthread_t t;
	char err[256];
	void *ret;

	ktap_start(15);
	if (pthread_create(&t, NULL, unwind_thread, &captured) ||
	    pthread_join(t, &ret) || (intptr_t)ret != 3) {
		ktap_result(false, "capture");
		return 1;
	}
	ktap_result(true, "capture");
	s = rt_symbolizer_new(getpid(), err, sizeof(err));
	if (!s) {
		ktap_diag("%s", err);
		return 1;
	}
	test_unwind(s);
	test_cut_short(s);
	rt_symbolizer_free(s);
	test_analyzer_prefers_unwind();
	test_decode();
	return ktap_finish();
}
