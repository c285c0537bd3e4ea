// SPDX-License-Identifier: GPL-2.0

// Category: partial locking: one access left outside the mutex that
// guards the variable everywhere else.
// Label: racy.  record adds to total under mu; flush reads it under mu
// too but resets it after unlocking, racing with every locked add.
//
//	go_racy_partiallock [SECONDS]
package main

import (
	"fmt"
	"sync"
)

var (
	mu    sync.Mutex
	total int64
)

func record(bytes int64) {
	mu.Lock()
	total += bytes // RACE: partiallock A
	mu.Unlock()
}

func flush() int64 {
	mu.Lock()
	v := total
	mu.Unlock()
	total = 0 // RACE: partiallock B
	return v
}

func main() {
	end := runFor()
	done := make(chan struct{})
	go func() {
		for !expired(end) {
			for n := 0; n < 4096; n++ {
				record(int64(n & 7))
			}
		}
		close(done)
	}()
	var flushed int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			flushed += flush()
		}
	}
	<-done
	fmt.Println("go_racy_partiallock: flushed", flushed)
}
