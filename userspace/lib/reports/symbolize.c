// SPDX-License-Identifier: GPL-2.0
/* symbolize: addresses of a traced process to functions and file:line. */
#include <dwarf.h>
#include <errno.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "atomictype.h"
#include "decode.h"
#include "maps.h"
#include "demangle.h"
#include "elfread.h"
#include "grow.h"
#include "strbuf.h"
#include "symbolize.h"
#include "unwind.h"

/* Per-module facts computed once: the file's identity. */
struct mod_info {
	char *name;
	uint64_t low;
	char build_id[RT_BUILD_ID_MAX];
};

struct rt_symbolizer {
	pid_t pid;
	/* The process itself (-1 where pidfd_open() is not there): its pid
	 * can name another one later, this cannot. */
	int pidfd;
	bool gone;	/* it was seen exited: nothing more is read of @pid */
	Dwfl *dwfl;
	struct mod_info *mods;
	size_t nr_mods, cap_mods;
	csh cs;
	bool have_cs;
	/* Pages that stayed unmapped after a refresh, so we stop re-reading
	 * the maps for every frame in anonymous code (JIT, vDSO). */
	struct { uint64_t page, when_ns; } misses[64];
	unsigned int next_miss;
	/* Trap IP -> start of the access: a hot race traps at the same IP
	 * over and over, and each lookup decodes a whole function. */
	struct { uint64_t ip, start; } before[256];
	/* Access IP -> does it address an _Atomic object (atomictype.c):
	 * a plain global's answer takes a walk over every unit. */
	struct { uint64_t ip; bool atomic; } atomic_ops[256];
	/* Executable mappings (files, JIT, vDSO) of the last maps read. */
	struct { uint64_t start, end; } *code;
	size_t nr_code;
	struct rt_unwinder *unwinder;	/* made at the first unwind */
};

#define MISS_TTL_NS	1000000000ULL

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * libdwfl's own search for separate debuginfo is kept to root's tree
 * (by build ID under /usr/lib/debug/.build-id, by debuglink under
 * /usr/lib/debug): it maps what it checks.  find_debuginfo() looks
 * beside the program itself.
 */
static char debug_root[] = "/usr/lib/debug";
static char *debuginfo_path = debug_root;

/* The process whose modules rt_symbolizer_refresh() is opening. */
static pid_t finding_for;

/*
 * A mapped file by its path, as libdwfl opens it; else through the
 * target's root: the path is the target's, and this process may not see
 * the same files there (racetrapd.service's private /tmp and hidden /home,
 * a target in a container).
 */
static int find_elf(Dwfl_Module *mod, void **ud, const char *name,
		    Dwarf_Addr base, char **file_name, Elf **elfp)
{
	char path[4200];
	int fd;

	fd = dwfl_linux_proc_find_elf(mod, ud, name, base, file_name, elfp);
	if (fd < 0 && !*elfp && name[0] == '/' && finding_for > 0) {
		snprintf(path, sizeof(path), "/proc/%d/root%s",
			 (int)finding_for, name);
		fd = rt_open_regular(path);
		if (fd < 0)
			return -1;
		*file_name = strdup(path);
		if (!*file_name) {
			close(fd);
			return -1;
		}
	}
	/*
	 * libdwfl would map it (rt_elf_read_cmd()); an Elf given here is
	 * used as it is, and libdwfl still closes @fd with it.
	 */
	if (fd >= 0 && !*elfp && rt_elf_read_cmd(fd) == ELF_C_READ)
		*elfp = elf_begin(fd, ELF_C_READ, NULL);
	return fd;
}

/* Does the ELF file @fd carry @mod's build ID? */
static bool same_build_id(Dwfl_Module *mod, int fd)
{
	const unsigned char *want;
	const void *have;
	GElf_Addr vaddr;
	bool same = false;
	Elf *elf;
	int n;

	n = dwfl_module_build_id(mod, &want, &vaddr);
	elf = n > 0 ? elf_begin(fd, ELF_C_READ_MMAP, NULL) : NULL;
	if (elf)
		same = dwelf_elf_gnu_build_id(elf, &have) == n &&
		       !memcmp(have, want, (size_t)n);
	elf_end(elf);
	return same;
}

/*
 * Separate debuginfo: root's by libdwfl's search, else @debuglink beside
 * the program or in its .debug/, as gdb finds it.  That file is a user's
 * and libdwfl maps it: it is given a private copy (rt_elf_safe_fd()), used
 * only when it carries the program's build ID (a program without one
 * gets no debuginfo from there).
 */
static int find_debuginfo(Dwfl_Module *mod, void **ud, const char *modname,
			  Dwarf_Addr base, const char *file_name,
			  const char *debuglink, GElf_Word debuglink_crc,
			  char **debuginfo_file_name)
{
	static const char *const subdirs[] = { "", ".debug/" };
	const char *slash = file_name ? strrchr(file_name, '/') : NULL;
	char path[4200];
	int fd;

	fd = dwfl_standard_find_debuginfo(mod, ud, modname, base, file_name,
					  debuglink, debuglink_crc,
					  debuginfo_file_name);
	if (fd >= 0 || !slash || !debuglink || strchr(debuglink, '/'))
		return fd;
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(path, sizeof(path), "%.*s/%s%s",
			 (int)(slash - file_name), file_name, subdirs[i],
			 debuglink);
		fd = rt_open_regular(path);
		if (fd < 0)
			continue;
		fd = rt_elf_safe_fd(fd);
		if (fd >= 0 && same_build_id(mod, fd)) {
			free(*debuginfo_file_name);
			*debuginfo_file_name = strdup(path);
			return fd;
		}
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

void rt_frames_clear(struct rt_frames *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].function);
		free(f->v[i].file);
		free(f->v[i].module);
	}
	f->n = 0;
}

void rt_frames_free(struct rt_frames *f)
{
	rt_frames_clear(f);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static struct rt_frame *frame_add(struct rt_frames *f)
{
	if (rt_grow((void **)&f->v, &f->cap, f->n, sizeof(f->v[0])))
		return NULL;
	memset(&f->v[f->n], 0, sizeof(f->v[0]));
	return &f->v[f->n++];
}

/* Open every module's ELF now: after the process exits, paths still work. */
static int load_elf(Dwfl_Module *mod, void **ud, const char *name,
		    Dwarf_Addr start, void *arg)
{
	GElf_Addr bias;

	(void)ud; (void)name; (void)start; (void)arg;
	dwfl_module_getelf(mod, &bias);
	return DWARF_CB_OK;
}

/* Remember the executable ranges of @maps (a maps file's text). */
static void read_code(struct rt_symbolizer *s, const char *maps)
{
	const char *p = maps, *next;
	size_t n = 0, cap = 0;
	void *grown;

	free(s->code);
	s->code = NULL;
	s->nr_code = 0;
	for (; p && *p; p = next) {
		unsigned long long start, end;
		char perms[8];

		next = strchr(p, '\n');
		if (next)
			next++;
		if (sscanf(p, "%llx-%llx %7s", &start, &end, perms) != 3 ||
		    !strchr(perms, 'x'))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			grown = realloc(s->code, cap * sizeof(*s->code));
			if (!grown)
				break;
			s->code = grown;
		}
		s->code[n].start = start;
		s->code[n].end = end;
		s->nr_code = ++n;
	}
}

static bool in_code(const struct rt_symbolizer *s, uint64_t addr)
{
	for (size_t i = 0; i < s->nr_code; i++)
		if (addr >= s->code[i].start && addr < s->code[i].end)
			return true;
	return false;
}

bool rt_symbolizer_same_process(struct rt_symbolizer *s)
{
	int ret;

	if (s->gone)
		return false;
	if (s->pidfd >= 0)
		ret = (int)syscall(SYS_pidfd_send_signal, s->pidfd, 0, NULL, 0);
	else
		ret = kill(s->pid, 0);
	/*
	 * Only an exit says gone (EPERM is a live process).  Without a
	 * pidfd, kill() is fooled by a pid already reused, but once it says
	 * ESRCH the process is gone for good.
	 */
	if (ret && errno == ESRCH)
		s->gone = true;
	return !s->gone;
}

/*
 * A zombie's maps read empty, and reporting nothing would drop every
 * module: so read the maps first and report only a non-empty snapshot.
 * (The vDSO, which only dwfl_linux_proc_report finds, is not reported.)
 * The maps are the process's own if it is still alive after they were
 * read: its pid was not free in between.
 */
int rt_symbolizer_refresh(struct rt_symbolizer *s)
{
	size_t len = 0;
	char *maps = s->gone ? NULL : rt_maps_snapshot(s->pid, &len);
	FILE *f;
	int ret;

	if (maps && !rt_symbolizer_same_process(s)) {
		free(maps);
		maps = NULL;
	}
	if (!maps)
		return -ESRCH;
	f = fmemopen(maps, len, "r");
	if (!f) {
		free(maps);
		return -ENOMEM;
	}
	read_code(s, maps);
	dwfl_report_begin(s->dwfl);
	ret = dwfl_linux_proc_maps_report(s->dwfl, f);
	if (dwfl_report_end(s->dwfl, NULL, NULL) != 0 && !ret)
		ret = -EINVAL;
	if (ret > 0)
		ret = -ret;	/* an errno */
	fclose(f);
	free(maps);
	finding_for = s->pid;
	dwfl_getmodules(s->dwfl, load_elf, NULL, 0);
	finding_for = 0;
	/* Other code may now sit at a cached IP (exec, dlclose + dlopen). */
	memset(s->before, 0, sizeof(s->before));
	return ret;
}

struct rt_symbolizer *rt_symbolizer_new(pid_t pid, char *err, size_t errlen)
{
	struct rt_symbolizer *s = calloc(1, sizeof(*s));
	int ret;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->pid = pid;
	s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (s->pidfd < 0 && errno == ESRCH) {
		snprintf(err, errlen, "no process %d", (int)pid);
		free(s);
		return NULL;
	}
	s->dwfl = dwfl_begin(&proc_callbacks);
	if (!s->dwfl) {
		snprintf(err, errlen, "libdwfl: %s", dwfl_errmsg(-1));
		rt_symbolizer_free(s);
		return NULL;
	}
	ret = rt_symbolizer_refresh(s);
	if (ret) {
		snprintf(err, errlen, "cannot read the mappings of %d: %s",
			 (int)pid, ret < 0 ? strerror(-ret) : dwfl_errmsg(-1));
		rt_symbolizer_free(s);
		return NULL;
	}
	s->have_cs = rt_decode_open(&s->cs) == 0;
	return s;
}

void rt_symbolizer_free(struct rt_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_mods; i++)
		free(s->mods[i].name);
	free(s->mods);
	if (s->have_cs)
		cs_close(&s->cs);
	rt_unwinder_free(s->unwinder);
	dwfl_end(s->dwfl);
	free(s->code);
	if (s->pidfd >= 0)
		close(s->pidfd);
	free(s);
}

/* The module at @addr, re-reading the maps once for a new mapping. */
static Dwfl_Module *module_at(struct rt_symbolizer *s, uint64_t addr)
{
	Dwfl_Module *mod = dwfl_addrmodule(s->dwfl, addr);
	uint64_t page = addr >> 12, now;

	if (mod)
		return mod;
	now = now_ns();
	for (size_t i = 0; i < sizeof(s->misses) / sizeof(s->misses[0]); i++)
		if (s->misses[i].page == page && s->misses[i].when_ns &&
		    now - s->misses[i].when_ns < MISS_TTL_NS)
			return NULL;
	if (!rt_symbolizer_same_process(s))
		return NULL;
	if (rt_symbolizer_refresh(s) == 0)
		mod = dwfl_addrmodule(s->dwfl, addr);
	if (!mod) {
		s->misses[s->next_miss].page = page;
		s->misses[s->next_miss].when_ns = now;
		s->next_miss = (s->next_miss + 1) %
			       (sizeof(s->misses) / sizeof(s->misses[0]));
	}
	return mod;
}

size_t rt_symbolizer_unwind(struct rt_symbolizer *s, pid_t tid,
			    const struct racetrap_user_dump *d,
			    uint64_t *pcs, size_t max)
{
	/* The innermost module must be known for anything to unwind. */
	if (!module_at(s, d->regs[RACETRAP_DUMP_RIP]))
		return 0;
	if (!s->unwinder)
		s->unwinder = rt_unwinder_new(s->dwfl);
	return rt_unwind(s->unwinder, tid, d, pcs, max);
}

bool rt_symbolizer_is_code(struct rt_symbolizer *s, uint64_t addr)
{
	if (in_code(s, addr))
		return true;
	/* Newly mapped code: module_at() re-reads the maps (rate-limited). */
	module_at(s, addr);
	return in_code(s, addr);
}

/* ELF address to file offset through the PT_LOAD segments. */
static int vaddr_to_offset(Elf *elf, uint64_t vaddr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

static const struct mod_info *mod_info(struct rt_symbolizer *s,
				       Dwfl_Module *mod, Elf *elf)
{
	Dwarf_Addr low;
	const char *name = dwfl_module_info(mod, NULL, &low, NULL, NULL, NULL,
					    NULL, NULL);
	struct mod_info *mi;

	if (!name)
		name = "";
	for (size_t i = 0; i < s->nr_mods; i++)
		if (s->mods[i].low == low && !strcmp(s->mods[i].name, name))
			return &s->mods[i];
	if (rt_grow((void **)&s->mods, &s->cap_mods, s->nr_mods,
		    sizeof(s->mods[0])))
		return NULL;
	mi = &s->mods[s->nr_mods];
	mi->name = strdup(name);
	if (!mi->name)
		return NULL;
	mi->low = low;
	rt_build_id(elf, mi->build_id);
	s->nr_mods++;
	return mi;
}

int rt_symbolizer_site(struct rt_symbolizer *s, uint64_t addr,
		       char build_id[RT_BUILD_ID_MAX], uint64_t *file_offset)
{
	Dwfl_Module *mod = module_at(s, addr);
	const struct mod_info *mi;
	GElf_Addr bias;
	Elf *elf;

	if (!mod || !(elf = dwfl_module_getelf(mod, &bias)))
		return -ENOENT;
	if (vaddr_to_offset(elf, addr - bias, file_offset))
		return -ENOENT;
	mi = mod_info(s, mod, elf);
	if (!mi)
		return -ENOMEM;
	memcpy(build_id, mi->build_id, RT_BUILD_ID_MAX);
	return 0;
}

static int insn_before(struct rt_symbolizer *s, uint64_t ip, uint64_t *start,
		       struct racetrap_site *site, bool *is_site);

int rt_symbolizer_insn_before(struct rt_symbolizer *s, uint64_t ip,
			      uint64_t *start)
{
	size_t slot = (ip ^ (ip >> 8)) % (sizeof(s->before) / sizeof(s->before[0]));
	int ret;

	if (ip && s->before[slot].ip == ip) {
		*start = s->before[slot].start;
		return 0;
	}
	ret = insn_before(s, ip, start, NULL, NULL);
	if (!ret) {
		s->before[slot].ip = ip;
		s->before[slot].start = *start;
	}
	return ret;
}

int rt_symbolizer_site_before(struct rt_symbolizer *s, uint64_t ip,
			      struct racetrap_site *site)
{
	bool is_site = false;
	uint64_t start;

	if (insn_before(s, ip, &start, site, &is_site))
		return -ENOENT;
	return is_site ? 0 : -EINVAL;
}

static int insn_before(struct rt_symbolizer *s, uint64_t ip, uint64_t *start,
		       struct racetrap_site *site, bool *is_site)
{
	Dwfl_Module *mod = module_at(s, ip - 1);
	GElf_Off symoff;
	GElf_Sym sym;
	GElf_Addr bias;
	uint64_t func, off;
	Elf_Data *data;
	Elf *elf;

	if (!mod || !s->have_cs || !(elf = dwfl_module_getelf(mod, &bias)))
		return -ENOENT;
	/* ip - 1: @ip itself may already be the next function. */
	if (!dwfl_module_addrinfo(mod, ip - 1, &symoff, &sym, NULL, NULL, NULL))
		return -ENOENT;
	func = ip - 1 - symoff;
	if (ip - func > 1 << 20 ||
	    vaddr_to_offset(elf, func - bias, &off))
		return -ENOENT;
	data = elf_getdata_rawchunk(elf, (int64_t)off, ip - func, ELF_T_BYTE);
	if (!data || !data->d_buf)
		return -ENOENT;
	if (!rt_decode_insn_ending_at(s->cs, data->d_buf, data->d_size, func,
				      ip, start, site, is_site))
		return -ENOENT;
	return 0;
}

int rt_symbolizer_sites_ending_at(struct rt_symbolizer *s, uint64_t ip,
				  struct racetrap_site *sites, int max)
{
	Dwfl_Module *mod = module_at(s, ip - 1);
	uint64_t off, first_off, len = 15;
	GElf_Addr bias;
	Elf_Data *data;
	Elf *elf;

	if (!mod || !s->have_cs || !(elf = dwfl_module_getelf(mod, &bias)) ||
	    vaddr_to_offset(elf, ip - 1 - bias, &off))
		return -ENOENT;
	/* The bytes before @ip within the same segment as its last byte. */
	while (len > 1 &&
	       (vaddr_to_offset(elf, ip - len - bias, &first_off) ||
		first_off != off + 1 - len))
		len--;
	if (off + 1 < len)
		return -ENOENT;
	data = elf_getdata_rawchunk(elf, (int64_t)(off + 1 - len), len,
				    ELF_T_BYTE);
	if (!data || !data->d_buf)
		return -ENOENT;
	return rt_decode_sites_ending_at(s->cs, data->d_buf, data->d_size, ip,
					 sites, max);
}

/*
 * A copy of a name the target's files chose, fit for every report
 * format: rt_strip_controls().
 */
static char *printable_dup(const char *name)
{
	char *d = name ? strdup(name) : NULL;

	rt_strip_controls(d);
	return d;
}

/* A symbol name as reports show it: C++ names demangled. */
static char *pretty(const char *name)
{
	char *d = rt_demangle(name);

	rt_strip_controls(d);
	return d ? d : printable_dup(name);
}

struct data_search {
	uint64_t addr;
	Dwfl_Module *found;
};

/* Whether a PT_LOAD segment of @mod's ELF file holds @arg's address. */
static int segment_holds(Dwfl_Module *mod, void **ud, const char *name,
			 Dwarf_Addr start, void *arg)
{
	struct data_search *ds = arg;
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	size_t n = 0;

	(void)ud;
	(void)name;
	(void)start;
	if (!elf || elf_getphdrnum(elf, &n))
		return DWARF_CB_OK;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    ds->addr >= ph.p_vaddr + bias &&
		    ds->addr - (ph.p_vaddr + bias) < ph.p_memsz) {
			ds->found = mod;
			return DWARF_CB_ABORT;
		}
	}
	return DWARF_CB_OK;
}

void rt_symbolizer_location(struct rt_symbolizer *s, uint64_t addr,
			    struct rt_location *loc)
{
	Dwfl_Module *mod = module_at(s, addr);
	const char *module, *name;
	GElf_Addr bias = 0;
	GElf_Off off;
	GElf_Sym sym;

	memset(loc, 0, sizeof(*loc));
	if (!mod) {
		/*
		 * .bss past the file's last page is anonymous memory in the
		 * maps, outside the module's range: its segment still says.
		 */
		struct data_search ds = { .addr = addr };

		dwfl_getmodules(s->dwfl, segment_holds, &ds, 0);
		mod = ds.found;
	}
	if (!mod)
		return;
	loc->global = true;
	module = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL,
				  NULL);
	loc->module = printable_dup(module);
	dwfl_module_getelf(mod, &bias);
	loc->module_addr = addr - bias;
	name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	if (!name || off >= sym.st_size ||
	    (GELF_ST_TYPE(sym.st_info) != STT_OBJECT &&
	     GELF_ST_TYPE(sym.st_info) != STT_TLS))
		return;
	loc->name = pretty(name);
	loc->start = addr - off;
	loc->size = sym.st_size;
}

void rt_location_free(struct rt_location *loc)
{
	free(loc->name);
	free(loc->module);
	memset(loc, 0, sizeof(*loc));
}

/*
 * A DIE's name (malloc'ed), through abstract_origin and specification for
 * inlines and methods: the demangled linkage name when there is one (it
 * carries the C++ class and namespace), else DW_AT_name.
 */
static char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	char *d = NULL;

	if (dwarf_attr_integrate(die, DW_AT_linkage_name, &a) ||
	    dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &a))
		d = rt_demangle(dwarf_formstring(&a));
	if (d)
		return d;
	if (dwarf_attr_integrate(die, DW_AT_name, &a))
		return pretty(dwarf_formstring(&a));
	return NULL;
}

static char *join_path(const char *dir, const char *file)
{
	char *p;

	if (!file)
		return NULL;
	if (file[0] == '/' || !dir || !*dir)
		return strdup(file);
	if (asprintf(&p, "%s/%s", dir, file) < 0)
		return NULL;
	return p;
}

static const char *comp_dir(Dwarf_Die *cu)
{
	Dwarf_Attribute a;

	if (dwarf_attr(cu, DW_AT_comp_dir, &a))
		return dwarf_formstring(&a);
	return NULL;
}

static int add_frame(struct rt_frames *out, uint64_t ip, uint64_t lookup,
		     const char *function, char *file, int line,
		     const char *module, uint64_t module_addr, bool inlined)
{
	struct rt_frame *f = frame_add(out);

	if (!f) {
		free(file);
		return -ENOMEM;
	}
	f->ip = ip;
	f->lookup = lookup;
	f->function = printable_dup(function);
	f->file = file;
	rt_strip_controls(f->file);
	f->line = line;
	f->module = printable_dup(module);
	f->module_addr = module_addr;
	f->inlined = inlined;
	return 0;
}

/*
 * The compile unit holding @addr.  Go writes no .debug_aranges, so when
 * the index misses, look through the units' own address ranges.
 */
static Dwarf_Die *find_cu(Dwfl_Module *mod, uint64_t addr, Dwarf_Die *buf,
			  Dwarf_Addr *bias)
{
	Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, bias);
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf *dw;

	if (cu)
		return cu;
	dw = dwfl_module_getdwarf(mod, bias);
	if (!dw)
		return NULL;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, buf) &&
		    dwarf_haspc(buf, addr - *bias) > 0)
			return buf;
		off = next;
	}
	return NULL;
}

/* RACETRAP_REG_* as DWARF's x86-64 register numbers; -1: none. */
static const int dwarf_reg[__RACETRAP_REG_LAST] = {
	[RACETRAP_REG_NONE] = -1, [RACETRAP_REG_RAX] = 0,
	[RACETRAP_REG_RDX] = 1, [RACETRAP_REG_RCX] = 2, [RACETRAP_REG_RBX] = 3,
	[RACETRAP_REG_RSI] = 4, [RACETRAP_REG_RDI] = 5, [RACETRAP_REG_RBP] = 6,
	[RACETRAP_REG_RSP] = 7, [RACETRAP_REG_R8] = 8, [RACETRAP_REG_R9] = 9,
	[RACETRAP_REG_R10] = 10, [RACETRAP_REG_R11] = 11,
	[RACETRAP_REG_R12] = 12, [RACETRAP_REG_R13] = 13,
	[RACETRAP_REG_R14] = 14, [RACETRAP_REG_R15] = 15,
	[RACETRAP_REG_RIP] = -1,
};

bool rt_symbolizer_atomic_operand(struct rt_symbolizer *s, uint64_t ip,
				  const struct racetrap_site *site)
{
	size_t slot = (ip ^ (ip >> 8)) %
		      (sizeof(s->atomic_ops) / sizeof(s->atomic_ops[0]));
	Dwfl_Module *mod;
	Dwarf_Addr bias = 0;
	Dwarf_Die cubuf, *cu;
	bool atomic = false;

	if (site->base >= __RACETRAP_REG_LAST ||
	    site->index != RACETRAP_REG_NONE)
		return false;
	if (ip && s->atomic_ops[slot].ip == ip)
		return s->atomic_ops[slot].atomic;
	mod = module_at(s, ip);
	cu = mod ? find_cu(mod, ip, &cubuf, &bias) : NULL;
	if (cu && site->base == RACETRAP_REG_RIP)
		atomic = rt_atomictype_static(cu, ip - bias,
					      ip + site->len + site->disp - bias,
					      site->size);
	else if (cu)
		atomic = rt_atomictype_operand(cu, ip - bias,
					       dwarf_reg[site->base],
					       site->disp, site->size);
	s->atomic_ops[slot].ip = ip;
	s->atomic_ops[slot].atomic = atomic;
	return atomic;
}

/* The line table row for @addr inside @cu. */
static char *cu_line(Dwarf_Die *cu, uint64_t pc, int *line)
{
	Dwarf_Line *l = dwarf_getsrc_die(cu, pc);
	const char *file;

	*line = 0;
	if (!l)
		return NULL;
	file = dwarf_linesrc(l, NULL, NULL);
	dwarf_lineno(l, line);
	return join_path(comp_dir(cu), file);
}

#define WALK_DEPTH	64

/*
 * The DIEs from below @die down to the innermost subprogram or inlined
 * subroutine at @pc, into @path[@depth...]: how many @path then holds, or
 * 0.  For what dwarf_getscopes() misses: libdw 0.188's does not look
 * inside DIEs that have no addresses, and Rust puts its functions in
 * namespaces (rustc 1.63 also in their types' DIEs).  The path is the
 * chain itself, so the unit is walked once.
 */
static int innermost_path(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Die *path,
			  int depth)
{
	Dwarf_Die *kid = &path[depth];
	int n;

	if (depth >= WALK_DEPTH || dwarf_child(die, kid) != 0)
		return 0;
	do {
		int tag = dwarf_tag(kid);

		switch (tag) {
		case DW_TAG_namespace:
		case DW_TAG_module:
		case DW_TAG_structure_type:
		case DW_TAG_class_type:
		case DW_TAG_union_type:
		case DW_TAG_enumeration_type:
			n = innermost_path(kid, pc, path, depth + 1);
			if (n)
				return n;
			break;
		case DW_TAG_subprogram:
		case DW_TAG_inlined_subroutine:
		case DW_TAG_lexical_block:
			if (dwarf_haspc(kid, pc) <= 0)
				break;
			n = innermost_path(kid, pc, path, depth + 1);
			if (n)
				return n;
			if (tag != DW_TAG_lexical_block)
				return depth + 1;
			break;
		}
	} while (dwarf_siblingof(kid, kid) == 0);
	return 0;
}

/* innermost_path() as dwarf_getscopes_die() gives it: innermost first. */
static int walked_chain(Dwarf_Die *cu, Dwarf_Addr pc, Dwarf_Die **chain)
{
	Dwarf_Die path[WALK_DEPTH];
	int n = innermost_path(cu, pc, path, 0);

	*chain = n ? malloc((size_t)n * sizeof(**chain)) : NULL;
	if (!*chain)
		return 0;
	for (int i = 0; i < n; i++)
		(*chain)[i] = path[n - 1 - i];
	return n;
}

/*
 * DWARF: the innermost inline instance out to the enclosing function.
 * dwarf_getscopes() finds the innermost function-like scope at @addr;
 * its parents in the DIE tree are the inlined calls around it, out to
 * the concrete subprogram, each placed by its call_file:call_line.
 */
static int dwarf_frames(Dwfl_Module *mod, uint64_t ip, uint64_t addr,
			const char *module, uint64_t module_addr,
			struct rt_frames *out, const char *fallback_name)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die cubuf, *cu = find_cu(mod, addr, &cubuf, &bias);
	Dwarf_Die *scopes = NULL, *chain = NULL;
	Dwarf_Files *files = NULL;
	const char *dir = cu ? comp_dir(cu) : NULL;
	char *loc_file = NULL;
	int line = 0, n = 0, nchain = 0, added = 0, ret = 0, inner = -1;

	if (cu) {
		loc_file = cu_line(cu, addr - bias, &line);
		n = dwarf_getscopes(cu, addr - bias, &scopes);
	}
	for (int i = 0; i < n && inner < 0; i++) {
		int tag = dwarf_tag(&scopes[i]);

		if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram)
			inner = i;
	}
	if (inner >= 0)
		nchain = dwarf_getscopes_die(&scopes[inner], &chain);
	else if (cu)
		nchain = walked_chain(cu, addr - bias, &chain);
	for (int i = 0; i < nchain && !ret; i++) {
		int tag = dwarf_tag(&chain[i]);
		Dwarf_Attribute a;
		Dwarf_Word cf = 0, cl = 0;
		char *name;
		size_t nfiles;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		name = die_name(&chain[i]);
		if (!name && tag == DW_TAG_subprogram)
			name = pretty(fallback_name);
		ret = add_frame(out, ip, addr, name, loc_file, line, module,
				module_addr, tag == DW_TAG_inlined_subroutine);
		free(name);
		loc_file = NULL;
		added++;
		if (tag == DW_TAG_subprogram)
			break;
		/* The next frame out is where this inline was called. */
		line = 0;
		if (dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_line, &a),
				    &cl) == 0)
			line = (int)cl;
		if (dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_file, &a),
				    &cf) == 0 &&
		    (files || dwarf_getsrcfiles(cu, &files, &nfiles) == 0))
			loc_file = join_path(dir, dwarf_filesrc(files, cf, NULL,
								NULL));
	}
	free(chain);
	free(scopes);
	if (!added && !ret) {
		char *name = pretty(fallback_name);

		ret = add_frame(out, ip, addr, name, loc_file, line, module,
				module_addr, false);
		free(name);
		loc_file = NULL;
	}
	free(loc_file);
	return ret;
}

int rt_symbolize(struct rt_symbolizer *s, uint64_t ip, bool is_return,
		 struct rt_frames *out)
{
	uint64_t addr = is_return && ip ? ip - 1 : ip;
	Dwfl_Module *mod = module_at(s, addr);
	const char *module, *sym;
	GElf_Addr bias = 0;
	GElf_Off off;
	GElf_Sym es;

	if (!mod)
		return add_frame(out, ip, addr, NULL, NULL, 0, NULL, 0, false);
	module = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL,
				  NULL);
	dwfl_module_getelf(mod, &bias);
	sym = dwfl_module_addrinfo(mod, addr, &off, &es, NULL, NULL, NULL);
	return dwarf_frames(mod, ip, addr, module, addr - bias, out, sym);
}
