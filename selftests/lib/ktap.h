/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small KTAP producer for racetrap's selftests: a plan, "ok N name",
 * "not ok N name", "ok N name # SKIP why" and "# " diagnostics.
 * ktap_finish() returns the exit status: 0 only if nothing failed and as
 * many results were printed as the plan promised, so a test that stops
 * early (missing data, a bail-out path) fails instead of passing with
 * fewer checks.  A test that cannot go on says so with ktap_skip_rest().
 */
#ifndef RACETRAP_KTAP_H
#define RACETRAP_KTAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int ktap_nr, ktap_failed, ktap_planned;

static inline void ktap_start(int plan)
{
	ktap_planned = plan;
	printf("KTAP version 1\n1..%d\n", plan);
	fflush(stdout);
}

static inline void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline bool ktap_result(bool ok, const char *name)
{
	ktap_nr++;
	if (!ok)
		ktap_failed++;
	printf("%sok %d %s\n", ok ? "" : "not ", ktap_nr, name);
	fflush(stdout);
	return ok;
}

static inline void ktap_skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++ktap_nr, name, why);
	fflush(stdout);
}

/* Every planned result not printed yet, as skipped for @why. */
static inline void ktap_skip_rest(const char *why)
{
	while (ktap_nr < ktap_planned)
		printf("ok %d untested # SKIP %s\n", ++ktap_nr, why);
	fflush(stdout);
}

static inline int ktap_finish(void)
{
	if (ktap_nr != ktap_planned) {
		printf("# %d results printed, %d planned\n", ktap_nr,
		       ktap_planned);
		fflush(stdout);
		return 1;
	}
	return ktap_failed ? 1 : 0;
}

/* Expect @call to fail with errno @e; name the test after the call. */
#define EXPECT_ERRNO(e, call, name)					\
	({								\
		long __r = (long)(call);				\
		int __e = errno;					\
		if (__r != -1 || __e != (e))				\
			ktap_diag("%s: got %ld errno %d (%s), want errno %d (%s)", \
				  name, __r, __r == -1 ? __e : 0,	\
				  __r == -1 ? strerror(__e) : "-",	\
				  e, strerror(e));			\
		ktap_result(__r == -1 && __e == (e), name);		\
	})

/* Expect the errno value @got (0: success) to be @want. */
static inline void ktap_expect_errno(int want, int got, const char *name)
{
	if (got != want)
		ktap_diag("%s: got %d (%s), want %d (%s)", name, got,
			  strerror(got), want, strerror(want));
	ktap_result(got == want, name);
}

#define EXPECT_OK(call, name)						\
	({								\
		long __r = (long)(call);				\
		int __e = errno;					\
		if (__r < 0)						\
			ktap_diag("%s: failed: %s", name, strerror(__e)); \
		ktap_result(__r >= 0, name);				\
	})

#define EXPECT_TRUE(cond, name, ...)					\
	({								\
		bool __c = (cond);					\
		if (!__c)						\
			ktap_diag(name ": " __VA_ARGS__);		\
		ktap_result(__c, name);					\
	})

#endif /* RACETRAP_KTAP_H */
