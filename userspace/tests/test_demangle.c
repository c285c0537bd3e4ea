// SPDX-License-Identifier: GPL-2.0
/*
 * Names in reports as the language writes them: C++ (Itanium), Rust
 * (legacy, whose hash suffix must go, and v0) and D, through libiberty;
 * C names and garbage stay as they are (NULL).
 */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "demangle.h"

static void expect(const char *mangled, const char *want, const char *name)
{
	char *got = rt_demangle(mangled);
	bool ok = want ? got && !strcmp(got, want) : !got;

	if (!ok)
		ktap_diag("%s -> %s, want %s", mangled, got ? got : "NULL",
			  want ? want : "NULL");
	ktap_result(ok, name);
	free(got);
}

int main(void)
{
	ktap_start(7);
	expect("_ZNSt6vectorIiSaIiEE9push_backERKi",
	       "std::vector<int, std::allocator<int> >::push_back(int const&)",
	       "cxx_method_with_parameters");
	expect("_ZN4core3ptr13drop_in_place17h0123456789abcdefE",
	       "core::ptr::drop_in_place", "rust_legacy_without_hash");
	expect("_RNvCs15kBYyAo9fc_7mycrate4main", "mycrate::main", "rust_v0");
	expect("_RINvNtCs1234_4core3ptr13drop_in_placeNtCs5678_5alloc6StringEB4_",
	       "core::ptr::drop_in_place::<alloc::String>", "rust_v0_generic");
	expect("_D3foo3barFZv", "foo.bar()", "dlang");
	expect("main", NULL, "c_name_unchanged");
	expect("_Zgarbage", NULL, "garbage_is_null");
	return ktap_finish();
}
