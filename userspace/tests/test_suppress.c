// SPDX-License-Identifier: GPL-2.0
/*
 * Suppressions: TSan template matching, each rule kind against real-
 * looking stacks (match and non-match), and parse errors that name the
 * file and line.
 */
#include "suppress.h"
#include "testlib.h"

static struct rt_frame fr(const char *fn, const char *file, const char *mod,
			  bool inlined)
{
	struct rt_frame f = { 0 };

	f.function = (char *)fn;
	f.file = (char *)file;
	f.module = (char *)mod;
	f.inlined = inlined;
	return f;
}

static void test_templates(void)
{
	EXPECT_TRUE(rt_supp_template_match("writer", "sample_writer") &&
		    rt_supp_template_match("^sample_", "sample_writer") &&
		    !rt_supp_template_match("^writer", "sample_writer") &&
		    rt_supp_template_match("writer$", "sample_writer") &&
		    !rt_supp_template_match("sample$", "sample_writer") &&
		    rt_supp_template_match("^main.(*T).*$", "main.(*T).Set") &&
		    rt_supp_template_match("a*c", "xxabbbcyy") &&
		    !rt_supp_template_match("^a*c$", "xxabbbcyy") &&
		    rt_supp_template_match("^std::vector<*>::push_back$",
					   "std::vector<int>::push_back") &&
		    !rt_supp_template_match("x", NULL),
		    "template_matching", "TSan template semantics broken");
}

static void test_rules(void)
{
	struct rt_frame a_v[] = {
		fr("sample_bump", "/src/tests/data/sample.c", "/opt/app/bin/app", true),
		fr("sample_bumper", "/src/tests/data/sample.c", "/opt/app/bin/app", false),
		fr("start_thread", "./nptl/pthread_create.c",
		   "/usr/lib/x86_64-linux-gnu/libc.so.6", false),
	};
	struct rt_frame b_v[] = {
		fr("reader", "/src/reader.c", "/opt/app/lib/libstats.so.1", false),
		fr("main", "/src/main.c", "/opt/app/bin/app", false),
	};
	struct rt_frames a = { a_v, 3, 3 }, b = { b_v, 2, 2 };
	const char *text =
		"# racetrap suppressions\n"
		"\n"
		"race:reader.c\n"
		"race_top:^sample_bumper$\n"
		"called_from_lib:libstats.so*\n"
		"  race:  ^start_thread$   \n"
		"thread:ignored-kind-from-tsan\n";
	char err[256] = "";
	struct rt_suppressions *s = rt_supp_parse(text, "t.supp", err, sizeof(err));
	struct rt_frames none = { 0 };

	EXPECT_TRUE(s && rt_supp_count(s) == 4, "parse_rules", "%s", err);
	if (!s)
		return;
	rt_supp_free(s);

	s = rt_supp_parse("race:reader.c\n", "x", err, sizeof(err));
	EXPECT_TRUE(s && rt_supp_match(s, &a, &b) && !rt_supp_match(s, &a, NULL),
		    "race_matches_file_in_either_stack", "no match");
	rt_supp_free(s);

	s = rt_supp_parse("race_top:^sample_bumper$\n", "x", err, sizeof(err));
	EXPECT_TRUE(s && !rt_supp_match(s, &a, &b),
		    "race_top_ignores_second_frame", "matched a non-top frame");
	rt_supp_free(s);
	s = rt_supp_parse("race_top:sample_bump\n", "x", err, sizeof(err));
	EXPECT_TRUE(s && rt_supp_match(s, &a, &none), "race_top_matches_top",
		    "top frame not matched");
	rt_supp_free(s);

	s = rt_supp_parse("called_from_lib:libstats.so*\n", "x", err, sizeof(err));
	EXPECT_TRUE(s && rt_supp_match(s, &none, &b) && !rt_supp_match(s, &a, NULL),
		    "called_from_lib_by_module", "module rule wrong");
	rt_supp_free(s);

	s = rt_supp_parse("race:^main$\n", "x", err, sizeof(err));
	EXPECT_TRUE(s && rt_supp_match(s, &a, &b) && !rt_supp_match(s, &a, NULL),
		    "race_anchored_function", "anchored function rule wrong");
	rt_supp_free(s);

	s = rt_supp_parse("race:no_such_function\n", "x", err, sizeof(err));
	EXPECT_TRUE(s && !rt_supp_match(s, &a, &b), "unrelated_rule_no_match",
		    "matched");
	rt_supp_free(s);
}

static void expect_error(const char *text, const char *want, const char *name)
{
	char err[256] = "";
	struct rt_suppressions *s = rt_supp_parse(text, "app.supp", err,
						  sizeof(err));

	if (s || !strstr(err, want))
		ktap_diag("%s: got \"%s\", want \"%s\"", name, err, want);
	ktap_result(!s && strstr(err, want), name);
	rt_supp_free(s);
}

static void test_errors(void)
{
	expect_error("race:a\n# fine\nrace_bottom:x\n", "app.supp:3: unknown suppression kind \"race_bottom\"",
		     "error_unknown_kind_line_3");
	expect_error("\n\nrace:a\nno colon here\n", "app.supp:4: expected KIND:PATTERN",
		     "error_missing_colon_line_4");
	expect_error("race:   \n", "app.supp:1: empty pattern", "error_empty_pattern");
	expect_error("race:a^b\n", "app.supp:1: '^' is only allowed at the start",
		     "error_misplaced_anchor");
}

static void test_load(void)
{
	char err[256] = "";
	struct rt_suppressions *s = rt_supp_load("/nonexistent.supp", err, sizeof(err));

	EXPECT_TRUE(!s && strstr(err, "/nonexistent.supp"), "load_missing_file",
		    "%s", err);
	/* A directory opens for reading: it must not pass as no rules. */
	err[0] = '\0';
	s = rt_supp_load("/", err, sizeof(err));
	EXPECT_TRUE(!s && strstr(err, "/ is not a regular file"),
		    "load_directory_refused", "%s", err);
	rt_supp_free(s);
}

int main(void)
{
	ktap_start(14);
	test_templates();
	test_rules();
	test_errors();
	test_load();
	return ktap_finish();
}
