// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: WaitGroup.Add inside the goroutine, per request.
// Label: racy.  Each request fans out two goroutines that call wg.Add
// themselves; Wait may return before they have, and the handler reads a
// part still being written.
//
//	go_racy_hwgadd [SECONDS]
package main

import (
	"fmt"
	"sync"
)

func handle(id uint64, slot int) uint64 {
	var wg sync.WaitGroup
	parts := make([]uint64, 2)
	for k := 0; k < 2; k++ {
		go func(k int) {
			wg.Add(1)
			var buf [128]byte
			parts[k] = digest(render(buf[:0], id+uint64(k))) // RACE: hwgadd A
			wg.Done()
		}(k)
	}
	wg.Wait()
	return parts[0] ^ parts[1] // RACE: hwgadd B
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hwgadd:", requests, sum&0xff)
}
