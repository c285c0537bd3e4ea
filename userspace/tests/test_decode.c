// SPDX-License-Identifier: GPL-2.0
/*
 * Site tables checked against binutils: every site decoded with Capstone
 * must be an instruction objdump shows at that file offset, with the same
 * length and access size, and every memory-accessing instruction objdump
 * shows in a sampled function must be a site.  Run on a C binary built
 * with gcc -O2 and on a Go binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>

#include "decode.h"
#include "elffuncs.h"
#include "langrt.h"
#include "sites.h"
#include "testlib.h"
#include "universe.h"
#include "verdict.h"

struct od_insn {
	uint64_t addr;
	uint32_t len;		/* 0: unknown (last before a gap) */
	char text[200];
};

struct od {
	struct od_insn *v;
	size_t n;
};

/* objdump -d in Intel syntax: one line per instruction, in address order. */
static int od_load(const char *bin, struct od *od)
{
	char cmd[4400], *out, *line, *save = NULL;
	size_t cap = 0;

	snprintf(cmd, sizeof(cmd),
		 "objdump -d --no-show-raw-insn -w -M intel '%s'", bin);
	out = test_capture(cmd);
	if (!out)
		return -1;
	od->n = 0;
	od->v = NULL;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long addr;
		int pos = 0;
		struct od_insn *in;

		if (!strncmp(line, "Disassembly of section", 22) ||
		    !strcmp(line, "\t...")) {
			if (od->n)
				od->v[od->n - 1].len = 0;	/* gap follows */
			continue;
		}
		if (sscanf(line, " %llx:\t%n", &addr, &pos) != 1 || !pos)
			continue;
		if (od->n == cap) {
			cap = cap ? cap * 2 : 4096;
			od->v = realloc(od->v, cap * sizeof(*od->v));
			if (!od->v)
				return -1;
		}
		if (od->n && od->v[od->n - 1].addr < addr &&
		    od->v[od->n - 1].len == UINT32_MAX)
			od->v[od->n - 1].len = (uint32_t)(addr - od->v[od->n - 1].addr);
		in = &od->v[od->n++];
		in->addr = addr;
		in->len = UINT32_MAX;	/* until the next line tells */
		snprintf(in->text, sizeof(in->text), "%s", line + pos);
	}
	if (od->n && od->v[od->n - 1].len == UINT32_MAX)
		od->v[od->n - 1].len = 0;
	free(out);
	return 0;
}

static const struct od_insn *od_find(const struct od *od, uint64_t addr)
{
	size_t lo = 0, hi = od->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (od->v[mid].addr == addr)
			return &od->v[mid];
		if (od->v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Skip instruction prefixes objdump prints as words. */
static const char *mnemonic(const char *t, char *buf, size_t len)
{
	static const char *const prefixes[] = {
		"lock", "rep", "repz", "repnz", "repe", "repne", "notrack",
		"bnd", "data16", "addr32", "cs", "ds", "es", "ss", "fs", "gs",
		"rex", "rex.W", "xacquire", "xrelease",
	};
	for (;;) {
		size_t n = strcspn(t, " ");
		bool prefix = false;

		snprintf(buf, len, "%.*s", (int)n, t);
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			if (!strcmp(buf, prefixes[i]))
				prefix = true;
		if (!prefix || !t[n])
			return buf;
		t += n;
		while (*t == ' ')
			t++;
	}
}

/*
 * objdump's view of the same rules: the access size of the single memory
 * operand if this is a sampleable access, 0 if not.
 */
static int od_access_size(const char *text)
{
	static const struct { const char *kw; int size; } sizes[] = {
		{ "BYTE PTR", 1 }, { "DWORD PTR", 4 }, { "QWORD PTR", 8 },
		{ "XMMWORD PTR", 16 }, { "YMMWORD PTR", 32 },
		{ "ZMMWORD PTR", 64 }, { "TBYTE PTR", 0 }, { "FWORD PTR", 0 },
		{ "WORD PTR", 2 },
	};
	const char *ptr = strstr(text, " PTR "), *br, *end;
	char m[32], inside[128];

	if (!ptr || strstr(ptr + 1, " PTR "))
		return 0;	/* no sized memory operand, or two (movs) */
	mnemonic(text, m, sizeof(m));
	if (!strcmp(m, "lea") || !strncmp(m, "nop", 3) ||
	    !strncmp(m, "prefetch", 8) || !strncmp(m, "clflush", 7) ||
	    !strcmp(m, "clwb"))
		return 0;
	if (strstr(text, "fs:") || strstr(text, "gs:"))
		return 0;
	br = strchr(ptr, '[');
	if (br) {
		end = strchr(br, ']');
		if (!end)
			return 0;
		snprintf(inside, sizeof(inside), "%.*s", (int)(end - br - 1),
			 br + 1);
		if (strstr(inside, "rsp") || strstr(inside, "esp") ||
		    strstr(inside, "mm") || strstr(inside, "eip") ||
		    inside[0] == 'e' || strstr(inside, "+e"))
			return 0;	/* stack, vector index, 32-bit */
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const char *kw = strstr(text, sizes[i].kw);

		/* "WORD PTR" also ends "DWORD PTR": take whole words. */
		if (kw && (kw == text || kw[-1] == ' ' || kw[-1] == ','))
			return sizes[i].size;
	}
	return 0;
}

/* File offset <-> ELF address through the executable sections. */
struct sec { uint64_t addr, off, size; };

static size_t load_secs(Elf *elf, struct sec *v, size_t max)
{
	Elf_Scn *scn = NULL;
	size_t n = 0;

	while ((scn = elf_nextscn(elf, scn)) && n < max) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_PROGBITS &&
		    (sh.sh_flags & SHF_EXECINSTR))
			v[n++] = (struct sec){ sh.sh_addr, sh.sh_offset, sh.sh_size };
	}
	return n;
}

static bool off_to_addr(const struct sec *v, size_t n, uint64_t off,
			uint64_t *addr)
{
	for (size_t i = 0; i < n; i++)
		if (off >= v[i].off && off < v[i].off + v[i].size) {
			*addr = off - v[i].off + v[i].addr;
			return true;
		}
	return false;
}

static bool addr_to_off(const struct sec *v, size_t n, uint64_t addr,
			uint64_t *off)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= v[i].addr && addr < v[i].addr + v[i].size) {
			*off = addr - v[i].addr + v[i].off;
			return true;
		}
	return false;
}

static const struct rt_func *func_at(const struct rt_funcs *f, uint64_t addr)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (addr < f->v[mid].start)
			hi = mid;
		else if (addr >= f->v[mid].end)
			lo = mid + 1;
		else
			return &f->v[mid];
	}
	return NULL;
}

static const struct racetrap_site *site_at(const struct rt_site_table *t,
					   uint64_t off)
{
	size_t lo = 0, hi = t->nr_sites;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->sites[mid].offset == off)
			return &t->sites[mid];
		if (t->sites[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct rt_func *func_named(const struct rt_funcs *f,
					const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, name))
			return &f->v[i];
	return NULL;
}

/* File offsets of the first and last byte of function @name. */
static bool func_offsets(const struct rt_funcs *f, const struct sec *secs,
			 size_t nsecs, const char *name, uint64_t *lo,
			 uint64_t *hi)
{
	const struct rt_func *fn = func_named(f, name);

	return fn && addr_to_off(secs, nsecs, fn->start, lo) &&
	       addr_to_off(secs, nsecs, fn->end - 1, hi);
}

/* The one site inside function @name, of the given access, or NULL. */
static const struct racetrap_site *site_in(const struct rt_site_table *t,
					   const struct rt_funcs *f,
					   const struct sec *secs, size_t nsecs,
					   const char *name, unsigned int access)
{
	uint64_t lo, hi;

	if (!func_offsets(f, secs, nsecs, name, &lo, &hi))
		return NULL;
	for (size_t i = 0; i < t->nr_sites; i++)
		if (t->sites[i].offset >= lo && t->sites[i].offset <= hi &&
		    t->sites[i].access == access)
			return &t->sites[i];
	return NULL;
}

struct bin_ctx {
	const char *name;
	char path[4096];
	int fd;
	Elf *elf;
	struct rt_funcs funcs;
	struct sec secs[64];
	size_t nsecs;
	struct od od;
	bool go;		/* a Go executable */
};

static int ctx_open(struct bin_ctx *c, const char *name)
{
	c->name = name;
	if (test_data_path(name, c->path, sizeof(c->path)))
		return -1;
	c->fd = open(c->path, O_RDONLY);
	elf_version(EV_CURRENT);
	c->elf = elf_begin(c->fd, ELF_C_READ, NULL);
	if (!c->elf || rt_funcs_load(c->elf, &c->funcs))
		return -1;
	c->nsecs = load_secs(c->elf, c->secs, 64);
	return od_load(c->path, &c->od);
}

static void ctx_close(struct bin_ctx *c)
{
	free(c->od.v);
	rt_funcs_free(&c->funcs);
	elf_end(c->elf);
	close(c->fd);
}

/*
 * The access kind objdump's mnemonic implies, where it is certain:
 * compares and tests only read; compare-and-exchange, exchange-and-add
 * and increments read and write; moves, extracts, setcc and the x87 and
 * MXCSR stores write when their first operand, @ops, is the memory one.
 * 0: not checked.
 */
static unsigned int od_expected_access(const char *mnem, const char *ops)
{
	static const char *const stores[] = {
		"mov", "movups", "movaps", "movupd", "movapd", "movdqu",
		"movdqa", "movq", "movd", "movss", "movsd", "movlps", "movhps",
		"movlpd", "movhpd", "movntdq", "movntps", "movntpd", "movnti",
		"movbe", "pextrq", "pextrd", "pextrw", "pextrb", "extractps",
		"stmxcsr", "vstmxcsr", "fst", "fstp", "fist", "fistp", "fisttp",
		"fnstcw", "fnstsw", "vmovups", "vmovaps", "vmovupd", "vmovapd",
		"vmovdqu", "vmovdqa", "vmovdqu8", "vmovdqu16", "vmovdqu32",
		"vmovdqu64", "vmovdqa32", "vmovdqa64", "vmovntdq", "vmovntps",
		"vmovntpd", "vmovq", "vmovd", "vmovss", "vmovsd", "vpextrq",
		"vpextrd", "vpextrw", "vpextrb", "vextractps", "vextracti128",
		"vextractf128", "seta", "setae", "setb", "setbe", "sete",
		"setne", "setg", "setge", "setl", "setle", "sets", "setns",
		"seto", "setno", "setp", "setnp",
	};
	size_t first = strcspn(ops, ",");

	for (size_t i = 0; i < sizeof(stores) / sizeof(stores[0]); i++)
		if (!strcmp(mnem, stores[i]))
			return memchr(ops, '[', first) ? RACETRAP_ACCESS_WRITE : 0;
	static const char *const reads[] = {
		"test", "cmp", "bt", "ucomiss", "ucomisd", "comiss", "comisd",
		"ptest", "vptest", "movzx", "movsx", "movsxd", "lods", "scas",
	};
	static const char *const rmws[] = {
		"cmpxchg", "cmpxchg8b", "cmpxchg16b", "xadd", "xchg", "inc",
		"dec", "bts", "btr", "btc", "neg", "not",
	};
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		if (!strcmp(mnem, reads[i]))
			return RACETRAP_ACCESS_READ;
	for (size_t i = 0; i < sizeof(rmws) / sizeof(rmws[0]); i++)
		if (!strcmp(mnem, rmws[i]))
			return RACETRAP_ACCESS_RMW;
	return 0;
}

/*
 * Every site says where its function ends (func_tail): the kernel must
 * not take code past it, a runtime left out of the table, for that
 * function's.
 */
static void check_func_tails(struct bin_ctx *c, const struct rt_site_table *t,
			     const char *name)
{
	size_t bad = 0, first = SIZE_MAX;

	for (size_t i = 0; i < t->nr_sites; i++) {
		const struct racetrap_site *s = &t->sites[i];
		const struct rt_func *f;
		uint64_t a = 0, end = 0;

		if (!off_to_addr(c->secs, c->nsecs, s->offset, &a) ||
		    !(f = func_at(&c->funcs, a)) ||
		    !addr_to_off(c->secs, c->nsecs, f->end - 1, &end) ||
		    s->func_tail != end + 1 - s->offset) {
			if (!bad++)
				first = i;
		}
	}
	if (bad)
		ktap_diag("%s: %zu of %zu sites do not end with their function "
			  "(first: offset 0x%" PRIx64 ", tail %u)", name, bad,
			  t->nr_sites, t->sites[first].offset,
			  t->sites[first].func_tail);
	ktap_result(t->nr_sites && !bad, name);
}

/* Every site is an objdump memory instruction of the same length/size. */
static void check_sites_vs_objdump(struct bin_ctx *c,
				   const struct rt_site_table *t,
				   const char *what)
{
	size_t bad = 0, locked_bad = 0, access_bad = 0, access_checked = 0;
	char name[160];

	for (size_t i = 0; i < t->nr_sites; i++) {
		const struct racetrap_site *s = &t->sites[i];
		const struct od_insn *in = NULL;
		uint64_t addr;
		const char *ops;
		bool locked;
		char m[32];

		if (off_to_addr(c->secs, c->nsecs, s->offset, &addr))
			in = od_find(&c->od, addr);
		if (!in || (in->len && in->len != s->len) ||
		    od_access_size(in->text) != s->size) {
			if (bad++ < 5)
				ktap_diag("%s: site +0x%" PRIx64 " len %u size %u: objdump says \"%s\"",
					  c->name, s->offset, s->len, s->size,
					  in ? in->text : "(no instruction)");
			continue;
		}
		mnemonic(in->text, m, sizeof(m));
		ops = strstr(in->text, m) + strlen(m);
		ops += strspn(ops, " ");
		if (od_expected_access(m, ops)) {
			access_checked++;
			if (od_expected_access(m, ops) != s->access &&
			    access_bad++ < 5)
				ktap_diag("%s: site +0x%" PRIx64 " access %u: \"%s\"",
					  c->name, s->offset, s->access, in->text);
		}
		locked = !strncmp(in->text, "lock ", 5) || !strcmp(m, "xchg");
		if (locked != !!(s->flags & RACETRAP_SITE_F_LOCKED) &&
		    locked_bad++ < 5)
			ktap_diag("%s: site +0x%" PRIx64 " locked flag %u: \"%s\"",
				  c->name, s->offset, s->flags, in->text);
	}
	ktap_diag("%s %s: %zu sites", c->name, what, t->nr_sites);
	snprintf(name, sizeof(name), "%s_%s_sites_match_objdump", c->name, what);
	ktap_result(t->nr_sites > 0 && bad == 0, name);
	snprintf(name, sizeof(name), "%s_%s_locked_flags", c->name, what);
	ktap_result(locked_bad == 0, name);
	ktap_diag("%s %s: %zu sites with a certain access kind checked",
		  c->name, what, access_checked);
	snprintf(name, sizeof(name), "%s_%s_access_kinds", c->name, what);
	ktap_result(access_checked > 0 && access_bad == 0, name);
}

/*
 * objdump's note on a rip-relative operand, "# 55e340 <runtime.wb+0x8>",
 * names an address where no access races: a section nothing writes, or
 * (in Go) a variable only the runtime writes.
 */
static bool od_raceless(const struct bin_ctx *c, const char *text)
{
	const char *note = strstr(text, "# ");
	unsigned long long addr;
	char sym[256];
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (!note || (!strstr(text, "[rip+") && !strstr(text, "[rip-")) ||
	    sscanf(note, "# %llx <%255[^+>]", &addr, sym) != 2)
		return false;
	if (c->go && rt_langrt_is_internal_data(sym, true))
		return true;
	while ((scn = elf_nextscn(c->elf, scn)))
		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC) &&
		    !(sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) &&
		    sh.sh_type != SHT_NOBITS && addr >= sh.sh_addr &&
		    addr < sh.sh_addr + sh.sh_size)
			return true;
	return false;
}

/* A store through a write mask, or AVX's vmaskmov: no site (decode.c). */
static bool od_masked_store(const char *text)
{
	const char *ops = strchr(text, ' ');
	size_t first = ops ? strcspn(ops, ",") : 0;

	if (!ops || !memchr(ops, '[', first))
		return false;
	return memmem(ops, first, "{k", 2) || strstr(text, "maskmov");
}

/*
 * The memory instructions of sampled functions whose text holds @needle
 * (objdump's name of their operand) exist, and none is a site.
 */
static void check_not_sites(struct bin_ctx *c, const struct rt_site_table *t,
			    const struct rt_sites_opts *opts,
			    const char *needle, const char *name)
{
	size_t seen = 0, sites = 0;

	for (size_t i = 0; i < c->od.n; i++) {
		const struct od_insn *in = &c->od.v[i];
		const struct rt_func *f = func_at(&c->funcs, in->addr);
		uint64_t off;

		if (!f || !rt_universe_has_func(opts, f->name, c->go) ||
		    !od_access_size(in->text) || !strstr(in->text, needle))
			continue;
		seen++;
		if (addr_to_off(c->secs, c->nsecs, in->addr, &off) &&
		    site_at(t, off) && sites++ < 5)
			ktap_diag("%s: %s+0x%" PRIx64 " \"%s\" is a site",
				  c->name, f->name, in->addr - f->start,
				  in->text);
	}
	ktap_diag("%s: %zu sampled instructions on %s, %zu sites", c->name,
		  seen, needle, sites);
	ktap_result(seen > 0 && sites == 0, name);
}

/*
 * Every objdump memory instruction inside a sampled function is a site.
 * Tolerance: none.  Both sides apply the same documented exclusions
 * (lea, nops, prefetch, flushes, rsp, fs/gs, two operands, vector index,
 * 32-bit addressing, 10- and 6-byte operands), so any difference is a
 * decoder disagreement worth a look; they are listed.
 */
static void check_objdump_vs_sites(struct bin_ctx *c,
				   const struct rt_site_table *t,
				   const struct rt_sites_opts *opts,
				   const char *what)
{
	size_t missing = 0, considered = 0;
	char name[160];

	for (size_t i = 0; i < c->od.n; i++) {
		const struct od_insn *in = &c->od.v[i];
		const struct rt_func *f = func_at(&c->funcs, in->addr);
		uint64_t off;

		if (!f || !rt_universe_has_func(opts, f->name, c->go) ||
		    !od_access_size(in->text))
			continue;
		/* Go's g register (see decode_range()). */
		if (c->go && strstr(in->text, "[r14"))
			continue;
		if (od_raceless(c, in->text) || od_masked_store(in->text))
			continue;
		considered++;
		if (!addr_to_off(c->secs, c->nsecs, in->addr, &off) ||
		    !site_at(t, off)) {
			if (missing++ < 5)
				ktap_diag("%s: %s+0x%" PRIx64 " \"%s\" not a site",
					  c->name, f->name, in->addr - f->start,
					  in->text);
		}
	}
	ktap_diag("%s %s: %zu objdump memory instructions in sampled functions, %zu missing",
		  c->name, what, considered, missing);
	snprintf(name, sizeof(name), "%s_%s_objdump_accesses_are_sites",
		 c->name, what);
	ktap_result(considered > 0 && missing == 0, name);
}

static int decode(struct bin_ctx *c, const struct rt_sites_opts *o,
		  struct rt_site_table *t)
{
	char err[256];
	int ret = rt_sites_decode_file(c->fd, o, t, err, sizeof(err));

	if (ret)
		ktap_diag("%s: decode failed: %s", c->name, err);
	return ret;
}

static void test_c(void)
{
	struct rt_sites_opts def = { 0 }, only = { 0 };
	const char *inc[] = { "sample_w*" };
	struct rt_site_table t, t2;
	const struct racetrap_site *s;
	struct bin_ctx c = { 0 };

	if (ctx_open(&c, "sample_c")) {
		ktap_skip("sample_c", "test data or objdump missing");
		return;
	}
	if (decode(&c, &def, &t))
		return;
	check_sites_vs_objdump(&c, &t, "default");
	check_objdump_vs_sites(&c, &t, &def, "default");
	check_func_tails(&c, &t, "c_func_tails");

	/* add QWORD PTR [rax+rdi*8],0x3: a read-modify-write, indexed */
	s = site_in(&t, &c.funcs, c.secs, c.nsecs, "sample_bumper",
		    RACETRAP_ACCESS_RMW);
	EXPECT_TRUE(s && s->index == RACETRAP_REG_RDI && s->scale == 8 &&
		    s->base == RACETRAP_REG_RAX && s->size == 8,
		    "sample_bumper_rmw_indexed", "site %p", (void *)s);
	/* mov QWORD PTR [rip+x],rdi */
	s = site_in(&t, &c.funcs, c.secs, c.nsecs, "sample_writer",
		    RACETRAP_ACCESS_WRITE);
	EXPECT_TRUE(s && s->base == RACETRAP_REG_RIP && s->size == 8 &&
		    !s->index, "sample_writer_rip_write", "site %p", (void *)s);
	EXPECT_TRUE(!site_in(&t, &c.funcs, c.secs, c.nsecs, "_start",
			     RACETRAP_ACCESS_READ) &&
		    !site_in(&t, &c.funcs, c.secs, c.nsecs,
			     "__do_global_dtors_aux", RACETRAP_ACCESS_READ),
		    "c_startup_not_sampled", "toolchain start-up code has sites");
	check_not_sites(&c, &t, &def, "<sample_limit>",
			"c_read_only_data_not_sampled");

	only.include_funcs = inc;
	only.nr_include_funcs = 1;
	if (!decode(&c, &only, &t2)) {
		bool all_in = t2.nr_sites > 0;

		for (size_t i = 0; i < t2.nr_sites; i++) {
			uint64_t a = 0;
			const struct rt_func *f;

			off_to_addr(c.secs, c.nsecs, t2.sites[i].offset, &a);
			f = func_at(&c.funcs, a);
			if (!f || strncmp(f->name, "sample_w", 8))
				all_in = false;
		}
		ktap_result(all_in, "include_glob_narrows");
		rt_site_table_release(&t2);
	}
	rt_site_table_release(&t);
	ctx_close(&c);
}

/*
 * Function @name has sites, and each carries RACETRAP_SITE_F_HOLD_THREAD
 * (@want) or none does.
 */
static bool holds_thread(const struct bin_ctx *c, const struct rt_site_table *t,
			 const char *name, bool want)
{
	size_t n = 0, bad = 0;
	uint64_t lo, hi;

	if (!func_offsets(&c->funcs, c->secs, c->nsecs, name, &lo, &hi))
		return false;
	for (size_t i = 0; i < t->nr_sites; i++) {
		const struct racetrap_site *s = &t->sites[i];

		if (s->offset < lo || s->offset > hi)
			continue;
		n++;
		bad += !(s->flags & RACETRAP_SITE_F_HOLD_THREAD) == want;
	}
	if (!n || bad)
		ktap_diag("%s: %zu sites, %zu with the wrong hold flag", name,
			  n, bad);
	return n && !bad;
}

static bool any_base(const struct rt_site_table *t, uint8_t base)
{
	for (size_t i = 0; i < t->nr_sites; i++)
		if (t->sites[i].base == base)
			return true;
	return false;
}

static void test_go(void)
{
	struct rt_sites_opts def = { 0 }, all = { .keep_runtime = true };
	struct rt_site_table t, ta;
	struct bin_ctx c = { 0 };

	if (ctx_open(&c, "sample_go")) {
		ktap_skip("sample_go", "test data or objdump missing");
		return;
	}
	c.go = true;
	if (decode(&c, &def, &t))
		return;
	EXPECT_TRUE(strlen(t.build_id) >= 16, "go_build_id", "\"%s\"",
		    t.build_id);
	check_sites_vs_objdump(&c, &t, "default");
	check_objdump_vs_sites(&c, &t, &def, "default");
	check_func_tails(&c, &t, "go_func_tails");
	EXPECT_TRUE(!any_base(&t, RACETRAP_REG_R14), "go_g_register_not_sampled",
		    "a site reads through R14, the goroutine's g");
	EXPECT_TRUE(site_in(&t, &c.funcs, c.secs, c.nsecs, "main.sampleWriter",
			    RACETRAP_ACCESS_WRITE) != NULL,
		    "go_user_write_sampled", "no write site in main.sampleWriter");
	EXPECT_TRUE(site_in(&t, &c.funcs, c.secs, c.nsecs,
			    "runtime.mapassign_fast64", RACETRAP_ACCESS_READ) &&
		    site_in(&t, &c.funcs, c.secs, c.nsecs, "runtime.growslice",
			    RACETRAP_ACCESS_READ),
		    "go_user_data_runtime_sampled", "map/slice runtime left out");
	EXPECT_TRUE(!site_in(&t, &c.funcs, c.secs, c.nsecs, "runtime.scanobject",
			     RACETRAP_ACCESS_READ) &&
		    !site_in(&t, &c.funcs, c.secs, c.nsecs, "runtime.mallocgc",
			     RACETRAP_ACCESS_READ) &&
		    !site_in(&t, &c.funcs, c.secs, c.nsecs, "runtime.schedule",
			     RACETRAP_ACCESS_READ),
		    "go_runtime_internals_not_sampled", "GC/scheduler sampled");
	check_not_sites(&c, &t, &def, "<runtime.writeBarrier>",
			"go_runtime_variables_not_sampled");
	/* Go preempts neither in package runtime nor in assembly. */
	EXPECT_TRUE(holds_thread(&c, &t, "runtime.mapassign_fast64", true) &&
		    holds_thread(&c, &t, "indexbytebody", true) &&
		    holds_thread(&c, &t, "main.sampleWriter", false),
		    "go_hold_thread_where_go_cannot_preempt",
		    "hold flags wrong");

	/* The whole runtime: many more instruction forms to agree on. */
	if (!decode(&c, &all, &ta)) {
		EXPECT_TRUE(ta.nr_sites > t.nr_sites &&
			    site_in(&ta, &c.funcs, c.secs, c.nsecs,
				    "runtime.scanobject", RACETRAP_ACCESS_READ),
			    "keep_runtime_widens", "%zu vs %zu sites",
			    ta.nr_sites, t.nr_sites);
		check_sites_vs_objdump(&c, &ta, "all");
		check_objdump_vs_sites(&c, &ta, &all, "all");
		rt_site_table_release(&ta);
	}
	rt_site_table_release(&t);
	ctx_close(&c);
}

static void test_sorted(void)
{
	struct rt_sites_opts all = { .keep_runtime = true };
	struct rt_site_table t;
	struct bin_ctx c = { 0 };
	bool ok = true;

	if (test_data_path("sample_go", c.path, sizeof(c.path))) {
		ktap_skip("sorted_nonoverlapping", "no test data");
		return;
	}
	c.name = "sample_go";
	c.fd = open(c.path, O_RDONLY);
	if (decode(&c, &all, &t))
		return;
	for (size_t i = 1; i < t.nr_sites; i++)
		if (t.sites[i].offset < t.sites[i - 1].offset + t.sites[i - 1].len)
			ok = false;
	ktap_result(ok, "sorted_nonoverlapping");
	rt_site_table_release(&t);
	close(c.fd);
}

/*
 * RACETRAP_SITE_F_NO_PROBE marks exactly the memory instructions whose
 * opcode byte behind a VEX, EVEX or XOP prefix the kernel's x86 uprobes
 * would take for a branch and skip (decode.c, uprobes_misreads()): Go's
 * memmove stores; never a plain or legacy-SSE one.
 */
static void test_no_probe(void)
{
	static const struct {
		const char *what;
		uint8_t bytes[8];
		size_t len;
		bool no_probe;
	} cases[] = {
		{ "vmovdqa %ymm0,(%rdi)", { 0xc5, 0xfd, 0x7f, 0x07 }, 4, true },
		{ "vmovdqa %ymm1,0x20(%rdi)", { 0xc5, 0xfd, 0x7f, 0x4f, 0x20 }, 5, true },
		{ "vmovdqu %ymm0,(%r8)", { 0xc4, 0xc1, 0x7e, 0x7f, 0x00 }, 5, true },
		{ "vmovdqu64 %zmm0,(%rdi)", { 0x62, 0xf1, 0xfe, 0x48, 0x7f, 0x07 }, 6, true },
		{ "vpcmpeqb (%rsi),%ymm0,%ymm1", { 0xc5, 0xfd, 0x74, 0x0e }, 4, true },
		{ "vmovdqu (%rsi),%ymm0", { 0xc5, 0xfe, 0x6f, 0x06 }, 4, false },
		{ "vmovq %xmm0,(%rdi)", { 0xc5, 0xf9, 0xd6, 0x07 }, 4, false },
		{ "movdqu %xmm0,(%rdi)", { 0xf3, 0x0f, 0x7f, 0x07 }, 4, false },
		{ "mov %rax,(%rdi)", { 0x48, 0x89, 0x07 }, 3, false },
	};
	size_t wrong = 0;
	cs_insn *insn;
	csh h;

	if (rt_decode_open(&h)) {
		ktap_result(false, "no_probe_flags");
		return;
	}
	insn = cs_malloc(h);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint8_t *code = cases[i].bytes;
		size_t len = cases[i].len;
		uint64_t addr = 0x1000;
		struct racetrap_site site;

		if (!insn || !cs_disasm_iter(h, &code, &len, &addr, insn) ||
		    !rt_decode_site(insn, &site)) {
			ktap_diag("%s: not decoded as a site", cases[i].what);
			wrong++;
			continue;
		}
		if (!!(site.flags & RACETRAP_SITE_F_NO_PROBE) !=
		    cases[i].no_probe) {
			ktap_diag("%s: NO_PROBE %s", cases[i].what,
				  cases[i].no_probe ? "missing" : "set");
			wrong++;
		}
	}
	if (insn)
		cs_free(insn, 1);
	cs_close(&h);
	ktap_result(wrong == 0, "no_probe_flags");
}

/*
 * Backwards decoding at a trap ip with no symbol: every instruction that
 * can end there.  glibc 2.36's memcpy tail (mov -0x4(%rsi,%rdx),%ecx;
 * mov (%rsi),%esi; mov %ecx,-0x4(%rdi,%rdx)) ends in a store whose
 * candidates are all that store; a push, stos or movs is refused.
 */
/*
 * One instruction each, as GNU as encodes it: the access kind of stores
 * Capstone 4 calls reads, and what is no site (masked stores, gathers
 * and scatters: a vector index).
 */
static void test_single_insns(void)
{
	static const struct {
		const char *text;
		uint8_t bytes[8];
		size_t len;
		int access;	/* -1: no site */
	} v[] = {
		{ "movups [rax],xmm15", { 0x44, 0x0f, 0x11, 0x38 }, 4,
		  RACETRAP_ACCESS_WRITE },
		{ "movdqa [rdi],xmm0", { 0x66, 0x0f, 0x7f, 0x07 }, 4,
		  RACETRAP_ACCESS_WRITE },
		{ "movdqa xmm0,[rdi]", { 0x66, 0x0f, 0x6f, 0x07 }, 4,
		  RACETRAP_ACCESS_READ },
		{ "vpmovqd [rdi],zmm0", { 0x62, 0xf2, 0x7e, 0x48, 0x35, 0x07 },
		  6, RACETRAP_ACCESS_WRITE },
		{ "sete [rdi]", { 0x0f, 0x94, 0x07 }, 3, RACETRAP_ACCESS_WRITE },
		{ "vmovdqu32 [rdi]{k1},zmm0",
		  { 0x62, 0xf1, 0x7e, 0x49, 0x7f, 0x07 }, 6, -1 },
		{ "vmaskmovps [rdi],ymm1,ymm0",
		  { 0xc4, 0xe2, 0x75, 0x2e, 0x07 }, 5, -1 },
		{ "vpscatterdd [rdi+zmm1*4]{k1},zmm0",
		  { 0x62, 0xf2, 0x7d, 0x49, 0xa0, 0x04, 0x8f }, 7, -1 },
		{ "vpgatherdd zmm0{k1},[rdi+zmm1*4]",
		  { 0x62, 0xf2, 0x7d, 0x49, 0x90, 0x04, 0x8f }, 7, -1 },
	};
	size_t bad = 0;
	cs_insn *insn;
	csh h;

	if (rt_decode_open(&h) || !(insn = cs_malloc(h))) {
		ktap_result(false, "single_instructions");
		return;
	}
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const uint8_t *code = v[i].bytes;
		size_t len = v[i].len;
		uint64_t addr = 0x1000;
		struct racetrap_site s;
		int got = -1;

		if (cs_disasm_iter(h, &code, &len, &addr, insn) &&
		    rt_decode_site(insn, &s))
			got = s.access;
		if (got != v[i].access && ++bad)
			ktap_diag("%s: access %d, want %d", v[i].text, got,
				  v[i].access);
	}
	cs_free(insn, 1);
	cs_close(&h);
	ktap_result(bad == 0, "single_instructions");
}

static void test_sites_ending_at(void)
{
	static const uint8_t memcpy_tail[] = {
		0x8b, 0x4c, 0x16, 0xfc, 0x8b, 0x36, 0x89, 0x4c, 0x17, 0xfc,
	};
	static const uint8_t load[] = { 0x90, 0x90, 0x48, 0x8b, 0x07 };
	static const uint8_t push[] = { 0x90, 0x90, 0x50 };
	static const uint8_t stos[] = { 0x90, 0x90, 0x48, 0xab };
	static const uint8_t movs[] = { 0x90, 0x90, 0xf3, 0xa4 };
	struct racetrap_site sites[4];
	struct racetrap_user_dump dump = { .nr_regs = RACETRAP_DUMP_NR_REGS };
	struct racetrap_record rec = { 0 };
	bool all_store = true;
	int n, nl;
	csh h;

	if (rt_decode_open(&h)) {
		ktap_result(false, "sites_ending_at_store");
		ktap_result(false, "sites_ending_at_refuses_implicit");
		ktap_result(false, "unknown_store_missed");
		return;
	}
	n = rt_decode_sites_ending_at(h, memcpy_tail, sizeof(memcpy_tail),
				      0x2000, sites, 4);
	for (int i = 0; i < n; i++)
		if (sites[i].access != RACETRAP_ACCESS_WRITE ||
		    sites[i].base != RACETRAP_REG_RDI ||
		    sites[i].index != RACETRAP_REG_RDX ||
		    sites[i].disp != -4 || sites[i].size != 4)
			all_store = false;
	nl = rt_decode_sites_ending_at(h, load, sizeof(load), 0x2000, sites, 4);
	EXPECT_TRUE(n >= 1 && all_store && nl >= 1 &&
		    sites[0].access == RACETRAP_ACCESS_READ,
		    "sites_ending_at_store",
		    "memcpy tail: %d candidates, all the store: %d; load: %d",
		    n, all_store, nl);
	EXPECT_TRUE(rt_decode_sites_ending_at(h, push, sizeof(push), 0x2000,
					      sites, 4) == -EINVAL &&
		    rt_decode_sites_ending_at(h, stos, sizeof(stos), 0x2000,
					      sites, 4) == -EINVAL &&
		    rt_decode_sites_ending_at(h, movs, sizeof(movs), 0x2000,
					      sites, 4) == -EINVAL,
		    "sites_ending_at_refuses_implicit",
		    "push, stos or movs taken for plain accesses");

	/* rdi 0x1000, rdx 7: the store writes 0x1003..0x1006. */
	n = rt_decode_sites_ending_at(h, memcpy_tail, sizeof(memcpy_tail),
				      0x2000, sites, 4);
	dump.regs[RACETRAP_DUMP_RDI] = 0x1000;
	dump.regs[RACETRAP_DUMP_RDX] = 7;
	rec.trapped.ip = 0x2000;
	rec.watch_len = 8;
	rec.watch_addr = 0xfc0;		/* below it in the page */
	all_store = rt_verdict_unknown_missed(&rec, &dump, sites, n);
	rec.watch_addr = 0x1000;	/* over it */
	all_store = all_store && !rt_verdict_unknown_missed(&rec, &dump,
							     sites, n);
	rec.watch_addr = 0xfc0;
	all_store = all_store &&
		    !rt_verdict_unknown_missed(&rec, NULL, sites, n) &&
		    !rt_verdict_unknown_missed(&rec, &dump, sites, -EINVAL);
	nl = rt_decode_sites_ending_at(h, load, sizeof(load), 0x2000, sites, 4);
	all_store = all_store &&
		    !rt_verdict_unknown_missed(&rec, &dump, sites, nl);
	EXPECT_TRUE(all_store, "unknown_store_missed",
		    "a store beside the watch, over it, without registers, undecoded or a load judged wrongly");
	cs_close(&h);
}

int main(void)
{
	ktap_start(33);
	test_c();
	test_go();
	test_sorted();
	test_no_probe();
	test_single_insns();
	test_sites_ending_at();
	return ktap_finish();
}
