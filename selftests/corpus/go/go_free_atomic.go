// SPDX-License-Identifier: GPL-2.0

// Category: control: sync/atomic read-modify-writes (lock xadd).
// Label: race-free.  Two goroutines count into one counter with
// atomic.AddUint64; the total is read after both finished.
//
//	go_free_atomic [SECONDS]
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var events uint64

func count(step uint64, end func() bool, wg *sync.WaitGroup) {
	defer wg.Done()
	for !end() {
		for n := 0; n < 4096; n++ {
			atomic.AddUint64(&events, step)
		}
	}
}

func main() {
	deadline := runFor()
	end := func() bool { return expired(deadline) }
	var wg sync.WaitGroup
	wg.Add(2)
	go count(1, end, &wg)
	go count(2, end, &wg)
	wg.Wait()
	fmt.Println("go_free_atomic:", atomic.LoadUint64(&events), "events")
}
