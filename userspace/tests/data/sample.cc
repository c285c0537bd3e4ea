// SPDX-License-Identifier: GPL-2.0
/*
 * Test data for the host unit tests: a C++ method, so symbolization must
 * give the qualified, demangled name.  Run with "wait" it prints "ready"
 * and blocks until stdin closes.
 */
#include <atomic>
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

/*
 * A flag published with a release store and awaited with an acquire
 * load: plain MOVs both, atomic by their std::atomic frames alone.
 */
struct Flag {
	std::atomic<int> ready;
};

__attribute__((noinline)) void publish(Flag *f)
{
	f->ready.store(1, std::memory_order_release);
}

__attribute__((noinline)) int await(Flag *f)
{
	return f->ready.load(std::memory_order_acquire);
}
} // namespace bank

int main(int argc, char **argv)
{
	static bank::Account a;
	static bank::Flag flag;
	char buf[16];

	for (int i = 0; i < 100; i++)
		a.deposit(i);
	bank::publish(&flag);
	std::printf("%ld %d\n", a.balance, bank::await(&flag));
	if (argc > 1 && !std::strcmp(argv[1], "wait")) {
		std::printf("ready\n");
		std::fflush(stdout);
		while (read(0, buf, sizeof(buf)) > 0)
			;
	}
	return 0;
}
