// SPDX-License-Identifier: GPL-2.0
/*
 * Test data for the host unit tests: a C++ method, so symbolization must
 * give the qualified, demangled name.  Run with "wait" it prints "ready"
 * and blocks until stdin closes.
 */
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace bank {
struct Account {
	volatile long balance;
	void deposit(long v);
};

__attribute__((noinline)) void Account::deposit(long v)
{
	balance = balance + v;	// SAMPLE_CXX_DEPOSIT_LINE
}
} // namespace bank

int main(int argc, char **argv)
{
	static bank::Account a;
	char buf[16];

	for (int i = 0; i < 100; i++)
		a.deposit(i);
	std::printf("%ld\n", a.balance);
	if (argc > 1 && !std::strcmp(argv[1], "wait")) {
		std::printf("ready\n");
		std::fflush(stdout);
		while (read(0, buf, sizeof(buf)) > 0)
			;
	}
	return 0;
}
