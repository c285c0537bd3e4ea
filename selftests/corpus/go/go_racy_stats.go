// SPDX-License-Identifier: GPL-2.0

// Category: an unlocked statistics counter.
// Label: racy.  Two request handlers bump the same counter with a plain
// ++ (load, add, store); increments get lost and the accesses race.
//
//	go_racy_stats [SECONDS]
package main

import "fmt"

var stats struct {
	requests uint64
}

// Handlers are rarely inlined in real servers; here noinline also makes
// the counter's INCQ the first instruction of a function, which matters
// under QEMU TCG (see Documentation/corpus.rst, "Sampling under TCG").
//
//go:noinline
func handleGet() {
	stats.requests++ // RACE: stats A
}

//go:noinline
func handlePut() {
	stats.requests++ // RACE: stats B
}

func main() {
	end := runFor()
	done := make(chan struct{})
	go func() {
		for !expired(end) {
			for n := 0; n < 4096; n++ {
				handleGet()
			}
		}
		close(done)
	}()
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			handlePut()
		}
	}
	<-done
	fmt.Println("go_racy_stats:", stats.requests, "requests counted")
}
