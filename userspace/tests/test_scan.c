// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a live process: /proc/PID/maps parsing, the default universe
 * (the main executable only), --modules globs, nothing handed out twice
 * (so a rescan only picks up new mappings), and the build-id cache
 * (a stored table is the one read back; a stale one is ignored).
 */
#include <sys/stat.h>

#include "livesites.h"
#include "maps.h"

struct seen_tables {
	int n;
	char paths[8][256];
	size_t nr_sites[8];
	bool fd_ok;
};

static int collect(void *arg, const struct rt_site_table *t)
{
	struct seen_tables *s = arg;
	struct stat st;

	if (s->n < 8) {
		snprintf(s->paths[s->n], 256, "%.255s", t->map.path);
		s->nr_sites[s->n] = t->nr_sites;
	}
	s->n++;
	/* The descriptor is the mapped file itself. */
	s->fd_ok = fstat(t->fd, &st) == 0 && st.st_ino == t->map.ino;
	return 0;
}

static void test_parse(void)
{
	struct rt_mapping m;

	EXPECT_TRUE(rt_maps_parse_line("55d0c0a3d000-55d0c0a3e000 r-xp 00001000 fe:01 1234   /usr/bin/racy\n", &m) == 1 &&
		    m.start == 0x55d0c0a3d000 && m.end == 0x55d0c0a3e000 &&
		    m.offset == 0x1000 && m.ino == 1234 && !strcmp(m.path, "/usr/bin/racy") &&
		    rt_maps_parse_line("7ffd1000-7ffd2000 r-xp 00000000 00:00 0   [vdso]\n", &m) == 0 &&
		    rt_maps_parse_line("55d0c0a3d000-55d0c0a3e000 rw-p 00001000 fe:01 1234 /usr/bin/racy\n", &m) == 0 &&
		    rt_maps_parse_line("7f00-7f10 r-xp 0 08:01 77 /tmp/a b (deleted)\n", &m) == 1 &&
		    !strcmp(m.path, "/tmp/a b (deleted)") &&
		    rt_maps_parse_line("garbage\n", &m) == -EINVAL,
		    "maps_parse_line", "parser wrong");
}

static void test_scan(void)
{
	struct rt_sites_opts def = { 0 }, libc = { 0 };
	const char *mods[] = { "libc.so*" };
	struct seen_tables a = { 0 }, b = { 0 }, again = { 0 };
	struct rt_sites_seen *seen;
	struct test_proc p;
	char path[4096], err[256];

	if (test_data_path("sample_c", path, sizeof(path)) ||
	    test_proc_start(path, &p)) {
		ktap_skip("scan_default_main_executable_only", "sample_c cannot run");
		return;
	}
	seen = rt_sites_seen_new();
	rt_sites_scan(p.pid, &def, seen, collect, &a, err, sizeof(err));
	EXPECT_TRUE(a.n == 1 && strstr(a.paths[0], "/sample_c") &&
		    a.nr_sites[0] > 0 && a.fd_ok,
		    "scan_default_main_executable_only", "%d tables", a.n);
	rt_sites_scan(p.pid, &def, seen, collect, &again, err, sizeof(err));
	EXPECT_TRUE(again.n == 0, "rescan_hands_out_nothing_twice", "%d tables",
		    again.n);
	rt_sites_seen_free(seen);

	libc.modules = mods;
	libc.nr_modules = 1;
	seen = rt_sites_seen_new();
	rt_sites_scan(p.pid, &libc, seen, collect, &b, err, sizeof(err));
	EXPECT_TRUE(b.n == 2 && (strstr(b.paths[0], "libc.so") ||
				 strstr(b.paths[1], "libc.so")),
		    "scan_modules_glob_adds_libc", "%d tables", b.n);
	rt_sites_seen_free(seen);
	EXPECT_TRUE(rt_sites_scan(999999999, &def, NULL, collect, &b, err,
				  sizeof(err)) < 0 && strstr(err, "999999999"),
		    "scan_missing_process_error", "%s", err);
	test_proc_stop(&p);
}

static void test_cache(void)
{
	char dir[] = "/tmp/racetrap-cache-XXXXXX", path[4096], err[256];
	char cmd[4200];
	struct rt_sites_opts o = { 0 };
	struct rt_site_table t1, t2, t3, t4;
	struct racetrap_site s;
	char *files;
	FILE *f;
	int fd, fd2;

	if (!mkdtemp(dir) || test_data_path("sample_c", path, sizeof(path))) {
		ktap_skip("cache_written_and_used", "no temp dir or test data");
		return;
	}
	o.cache_dir = dir;
	fd = open(path, O_RDONLY);
	rt_sites_decode_file(fd, &o, &t1, err, sizeof(err));
	snprintf(cmd, sizeof(cmd), "ls %s", dir);
	files = test_capture(cmd);
	/* Prove the second load reads the cache: doctor the stored table. */
	snprintf(cmd, sizeof(cmd), "%s/%s", dir, files ? files : "");
	cmd[strcspn(cmd, "\n")] = '\0';
	f = fopen(cmd, "r+");
	s = t1.sites[0];
	s.disp = 0x7777;
	if (f) {
		fseek(f, -(long)(t1.nr_sites * sizeof(s)), SEEK_END);
		fwrite(&s, sizeof(s), 1, f);
		fclose(f);
	}
	rt_sites_decode_file(fd, &o, &t2, err, sizeof(err));
	EXPECT_TRUE(files && strstr(files, t1.build_id) && t2.nr_sites == t1.nr_sites &&
		    t2.sites[0].disp == 0x7777, "cache_written_and_used",
		    "files: %s", files ? files : "none");
	/* Another option set is another key: decoded afresh. */
	o.keep_runtime = true;
	rt_sites_decode_file(fd, &o, &t3, err, sizeof(err));
	EXPECT_TRUE(t3.sites[0].disp == t1.sites[0].disp,
		    "cache_keyed_by_options", "reused a table of other options");
	/* A copy has the same build-id but is another file: decoded afresh
	 * (a build-id is no proof of identity). */
	o.keep_runtime = false;
	snprintf(cmd, sizeof(cmd), "cp %s %s/copy", path, dir);
	snprintf(path, sizeof(path), "%s/copy", dir);
	fd2 = system(cmd) == 0 ? open(path, O_RDONLY) : -1;
	memset(&t4, 0, sizeof(t4));
	rt_sites_decode_file(fd2, &o, &t4, err, sizeof(err));
	EXPECT_TRUE(fd2 >= 0 && t4.nr_sites == t1.nr_sites &&
		    !strcmp(t4.build_id, t1.build_id) &&
		    t4.sites[0].disp == t1.sites[0].disp,
		    "cache_keyed_by_file_not_build_id",
		    "a copy with the same build-id reused the table");
	rt_site_table_release(&t1);
	rt_site_table_release(&t2);
	rt_site_table_release(&t3);
	rt_site_table_release(&t4);
	close(fd);
	if (fd2 >= 0)
		close(fd2);
	free(files);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		ktap_diag("cannot remove %s", dir);
}

int main(void)
{
	ktap_start(8);
	test_parse();
	test_scan();
	test_cache();
	return ktap_finish();
}
