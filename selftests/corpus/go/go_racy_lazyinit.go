// SPDX-License-Identifier: GPL-2.0

// Category: double-checked lazy initialisation without atomics.
// Label: racy.  getConfig checks the config pointer without the mutex and
// builds it under the mutex when it is nil; the publishing store and the
// unlocked check are plain accesses.  (sync.Once or atomic.Pointer would
// be correct.)  A reloader drops the config now and then, under the
// mutex, so initialisation happens again and again during the run.
//
// It drops it every 4 lookups, so that the race is a fair share of the
// run, as in a service whose configuration is reloaded all the time.  A
// window on the unlocked check closes at its first trap, which is the
// drop (line "current = nil") unless the window opens between the drop
// and the next publication; and the publishing store is sampled in
// proportion to the time spent on it.  Measured in the test VM, 20 s runs
// caught the marked pair 0 to 4 times when it dropped every 256 lookups,
// 1 to 7 times every 4 lookups, 1 to 3 times every 2.
//
//	go_racy_lazyinit [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type config struct{ limit int64 }

var (
	mu         sync.Mutex
	current    *config
	slots      [2]config
	generation int64
)

func getConfig() *config {
	if c := current; c != nil { // RACE: lazyinit B
		return c
	}
	mu.Lock()
	if current == nil {
		c := &slots[generation&1]
		c.limit = 100 + generation
		current = c // RACE: lazyinit A
	}
	c := current
	mu.Unlock()
	return c
}

func main() {
	end := runFor()
	done := make(chan int64)
	go func() {
		var sum int64
		for !expired(end) {
			for n := 0; n < 4096; n++ {
				sum += getConfig().limit
			}
		}
		done <- sum
	}()
	var sum int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			sum += getConfig().limit
			if n%4 == 3 {
				mu.Lock()
				current = nil
				generation++
				mu.Unlock()
			}
		}
	}
	sum += <-done
	fmt.Println("go_racy_lazyinit:", generation, "generations")
}
