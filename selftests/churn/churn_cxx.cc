// SPDX-License-Identifier: GPL-2.0
/*
 * churn_cxx [SECONDS]: a race-free C++ service in miniature, for the churn
 * soak (test_churn.sh).  Requests run as std::async tasks (a thread each
 * with libstdc++), at most 8 in flight; each builds an unordered_map of
 * strings to vectors, takes a shared_ptr to a read-only configuration
 * that every request shares (its count changes with lock-prefixed
 * instructions), recurses through 64 frames of 512 bytes, and returns its
 * result through a future.  Every result is computed again by the main
 * thread, so a corrupted heap, stack or register shows as a wrong sum:
 * exit 1.  Exit 0 prints "churn_cxx: ok REQUESTS".
 */
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct config {
	std::vector<uint64_t> weights;
};

uint64_t deep(int level, uint64_t seed)
{
	volatile uint64_t pad[64];

	for (int i = 0; i < 64; i++)
		pad[i] = seed + static_cast<uint64_t>(i) * level;
	if (level == 0)
		return pad[63];
	return deep(level - 1, pad[level % 64]) ^ pad[0];
}

uint64_t request(uint64_t id, std::shared_ptr<const config> cfg)
{
	std::unordered_map<std::string, std::vector<uint64_t>> m;
	uint64_t sum = 0;

	for (uint64_t i = 0; i < 64; i++)
		m["item-" + std::to_string((id + i) % 97)].push_back(id * i);
	for (const auto &kv : m)
		for (uint64_t x : kv.second)
			sum += x * cfg->weights[x % cfg->weights.size()];
	return sum + deep(64, id);
}

} // namespace

int main(int argc, char **argv)
{
	int secs = argc > 1 ? std::atoi(argv[1]) : 10;
	auto end = std::chrono::steady_clock::now() +
		   std::chrono::seconds(secs > 0 ? secs : 10);
	auto cfg = std::make_shared<const config>(
		config{ { 1, 3, 5, 7, 11, 13, 17, 19 } });
	std::deque<std::pair<uint64_t, std::future<uint64_t>>> inflight;
	uint64_t id = 0, bad = 0;

	auto collect = [&]() {
		auto &front = inflight.front();
		if (front.second.get() != request(front.first, cfg))
			bad++;
		inflight.pop_front();
	};
	while (std::chrono::steady_clock::now() < end) {
		if (inflight.size() == 8)
			collect();
		id++;
		inflight.emplace_back(id, std::async(std::launch::async,
						     request, id, cfg));
	}
	while (!inflight.empty())
		collect();
	if (bad) {
		std::printf("churn_cxx: %llu of %llu results wrong\n",
			    static_cast<unsigned long long>(bad),
			    static_cast<unsigned long long>(id));
		return 1;
	}
	std::printf("churn_cxx: ok %llu\n", static_cast<unsigned long long>(id));
	return 0;
}
