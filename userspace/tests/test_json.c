// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines output: every line the analyzer writes (race, unseen
 * writer, status, summary) must parse and carry the keys and types that
 * Documentation/report-format.rst promises; checked by Python's json
 * module, not by our own code.  Also the string escaper on quotes,
 * control characters, UTF-8 and invalid bytes.
 */
#include <inttypes.h>

#include "capture.h"
#include "json.h"

static const char checker[] =
"import json, re, sys\n"
"HEX = re.compile(r'^0x[0-9a-f]+$')\n"
"TIME = re.compile(r'^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$')\n"
"def need(o, key, types, pat=None):\n"
"    assert key in o, 'missing key %s in %s' % (key, o.get('type'))\n"
"    assert isinstance(o[key], types), '%s: bad type %r' % (key, o[key])\n"
"    if pat: assert pat.match(o[key]), '%s: bad value %r' % (key, o[key])\n"
"def frame(f):\n"
"    need(f, 'ip', str, HEX); need(f, 'offset', str, HEX)\n"
"    need(f, 'function', (str, type(None))); need(f, 'file', (str, type(None)))\n"
"    need(f, 'module', (str, type(None))); need(f, 'line', int)\n"
"    need(f, 'inlined', bool)\n"
"def access(a):\n"
"    need(a, 'role', str); assert a['role'] in ('trapped', 'sampled')\n"
"    need(a, 'tid', int); need(a, 'thread', str); need(a, 'kind', str)\n"
"    assert a['kind'] in ('read', 'write', 'rmw', 'unknown')\n"
"    need(a, 'atomic', bool); need(a, 'size', int); need(a, 'address', str, HEX)\n"
"    need(a, 'site', str, re.compile(r'^[0-9a-f]{16,40}\\+0x[0-9a-f]+$'))\n"
"    need(a, 'stack', list); assert a['stack']\n"
"    for f in a['stack']: frame(f)\n"
"    need(a, 'goroutine', (int, type(None))); need(a, 'created_at', (list, type(None)))\n"
"    if a['goroutine'] is None: assert a['created_at'] is None\n"
"    for f in a['created_at'] or []: frame(f)\n"
"seen = {}\n"
"for n, line in enumerate(open(sys.argv[1]), 1):\n"
"    o = json.loads(line)\n"
"    need(o, 'type', str); seen[o['type']] = seen.get(o['type'], 0) + 1\n"
"    need(o, 'pid', int); need(o, 'comm', str)\n"
"    if o['type'] != 'strings': need(o, 'schema', int); assert o['schema'] == 2\n"
"    if o['type'] in ('race', 'unseen_writer'):\n"
"        need(o, 'fingerprint', str, re.compile(r'^[0-9a-f]{16}$'))\n"
"        need(o, 'trigger', str); assert o['trigger'] in ('site', 'clock', 'unknown')\n"
"        for k in ('address', 'watch_address', 'value_before', 'value_after'):\n"
"            need(o, k, str, HEX)\n"
"        need(o, 'watch_size', int); need(o, 'window_us', int)\n"
"        need(o, 'time', str, TIME); need(o, 'accesses', list)\n"
"        assert len(o['accesses']) == (2 if o['type'] == 'race' else 1)\n"
"        for a in o['accesses']: access(a)\n"
"        roles = [a['role'] for a in o['accesses']]\n"
"        assert roles == ['sampled', 'trapped'][:len(roles)], roles\n"
"        need(o, 'summary', str, re.compile(r'^data race \\S+ in \\S'))\n"
"        need(o, 'location', dict); loc = o['location']\n"
"        need(loc, 'kind', str); assert loc['kind'] in ('global', 'heap')\n"
"        need(loc, 'name', (str, type(None)))\n"
"        if loc['name'] is not None: need(loc, 'size', int); need(loc, 'start', str, HEX)\n"
"        if loc['kind'] == 'global': need(loc, 'module', (str, type(None))); need(loc, 'offset', str, HEX)\n"
"    elif o['type'] == 'summary':\n"
"        need(o, 'races', list); need(o, 'counts', dict); need(o, 'time', str, TIME)\n"
"        for k in ('records', 'races', 'repeats', 'unseen_writers',\n"
"                  'filtered_runtime', 'suppressed', 'lost'):\n"
"            need(o['counts'], k, int)\n"
"        for r in o['races']:\n"
"            need(r, 'fingerprint', str); need(r, 'type', str); need(r, 'count', int)\n"
"            need(r, 'first_seen', str, TIME); need(r, 'last_seen', str, TIME)\n"
"            need(r, 'sites', list); need(r, 'where', str)\n"
"    elif o['type'] == 'status':\n"
"        need(o, 'event', str); need(o, 'count', int); need(o, 'message', str)\n"
"    elif o['type'] == 'strings':\n"
"        want = ['plain', 'quote\" back\\\\ slash', 'tab\\tnl\\nctl\\x01\\x7f',\n"
"                'utf8 \\u00e9 \\u2713', 'bad \\ufffd byte', None]\n"
"        assert o['values'] == want, repr(o['values'])\n"
"    else:\n"
"        raise AssertionError('unknown type ' + o['type'])\n"
"print(' '.join('%s=%d' % kv for kv in sorted(seen.items())))\n";

/* Run the checker on @path; its one-line verdict in @out. */
static bool python_check(const char *path, char *out, size_t len)
{
	char script[] = "/tmp/racetrap-json-check-XXXXXX";
	char cmd[512], *res;
	int fd = mkstemp(script);
	bool ok;

	if (fd < 0 || write(fd, checker, sizeof(checker) - 1) !=
		      (ssize_t)(sizeof(checker) - 1))
		return false;
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 %s %s 2>&1", script, path);
	res = test_capture(cmd);
	ok = res != NULL;
	snprintf(out, len, "%s", res ? res : "python3 failed");
	out[strcspn(out, "\n")] = '\0';
	free(res);
	unlink(script);
	return ok;
}

static void test_escaper(FILE *f)
{
	const char *values[] = {
		"plain", "quote\" back\\ slash", "tab\tnl\nctl\x01\x7f",
		"utf8 \xc3\xa9 \xe2\x9c\x93", "bad \xff byte", NULL,
	};
	struct rt_strbuf b;

	rt_strbuf_init(&b);
	rt_strbuf_puts(&b, "{\"type\":\"strings\",\"pid\":0,\"comm\":\"\",\"values\":[");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		if (i)
			rt_strbuf_puts(&b, ",");
		rt_json_str(&b, values[i]);
	}
	rt_strbuf_puts(&b, "]}");
	fprintf(f, "%s\n", rt_strbuf_str(&b));
	rt_strbuf_free(&b);
}

int main(void)
{
	const struct racetrap_site *w, *rd;
	struct racetrap_record rec, vc, st;
	struct rt_analyzer_opts o = { .emit = capture_emit };
	char path[] = "/tmp/racetrap-json-XXXXXX", verdict[512], err[256];
	struct capture c = { .json = true };
	struct rt_analyzer *an;
	uint64_t waddr, raddr;
	struct live l;
	bool one_line = true;
	FILE *f;
	int fd;

	ktap_start(3);
	if (live_start("sample_c", &l)) {
		ktap_skip("json_lines_valid", "sample_c cannot run");
		ktap_skip("json_one_object_per_line", "sample_c cannot run");
		ktap_skip("json_schema", "sample_c cannot run");
		live_free(&l);
		return ktap_finish();
	}
	o.emit_arg = &c;
	an = rt_analyzer_new(l.proc.pid, &o, err, sizeof(err));
	waddr = live_site_addr(&l, "sample_writer", RACETRAP_ACCESS_WRITE, &w);
	raddr = live_site_addr(&l, "sample_reader", RACETRAP_ACCESS_READ, &rd);
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!an || !waddr || !raddr || !f) {
		ktap_result(false, "json_setup");
		live_free(&l);
		return ktap_finish();
	}
	live_add_table(&l, an);
	make_hit(&l, &rec, rd, raddr, w, waddr, live_func_addr(&l, "thread_main"));
	rt_analyzer_feed(an, &rec);
	rt_analyzer_feed(an, &rec);
	vc = rec;
	vc.type = RACETRAP_REC_VALUE_CHANGE;
	memset(&vc.trapped, 0, sizeof(vc.trapped));
	/* This one on a global, which the location names. */
	vc.watch_addr = vc.sampled.addr = live_data_vaddr(l.bin.elf, "sample_counter") +
		waddr - live_off_to_vaddr(l.bin.elf, w->offset);
	rt_analyzer_feed(an, &vc);
	memset(&st, 0, sizeof(st));
	st.type = RACETRAP_REC_THROTTLE;
	st.lost = 3;
	rt_analyzer_feed(an, &st);
	rt_analyzer_summary(an);
	for (int i = 0; i < c.n; i++) {
		if (strchr(c.text[i], '\n'))
			one_line = false;
		fprintf(f, "%s\n", c.text[i]);
	}
	test_escaper(f);
	fclose(f);
	ktap_result(c.n == 4 && one_line, "json_one_object_per_line");
	if (system("command -v python3 >/dev/null 2>&1") != 0)
		ktap_skip("json_schema", "python3 is not installed");
	else
		EXPECT_TRUE(python_check(path, verdict, sizeof(verdict)) &&
			    !strcmp(verdict, "race=1 status=1 strings=1 summary=1 unseen_writer=1"),
			    "json_schema", "checker says: %s", verdict);
	EXPECT_TRUE(c.n >= 2 && strstr(c.text[0], "\"function\":\"sample_writer\"") &&
		    strstr(c.text[0], "\"kind\":\"write\"") &&
		    strstr(c.text[0], "\"location\":{\"kind\":\"heap\",\"name\":null}") &&
		    strstr(c.text[0], "\"summary\":\"data race ") &&
		    strstr(c.text[0], "sample.c:23 in sample_reader\"") &&
		    strstr(c.text[1], "\"location\":{\"kind\":\"global\",\"name\":\"sample_counter\",\"size\":8,"),
		    "json_race_content", "%s\n# %s", c.n ? c.text[0] : "-",
		    c.n > 1 ? c.text[1] : "-");
	unlink(path);
	rt_analyzer_free(an);
	capture_free(&c);
	live_free(&l);
	return ktap_finish();
}
