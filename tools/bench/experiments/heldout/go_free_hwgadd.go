// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hwgadd.go.
// Category: WaitGroup.Add inside the goroutine, per request.
// Label: free.  As go_racy_hwgadd, but wg.Add before each go statement.
//
//	go_free_hwgadd [SECONDS]
package main

import (
	"fmt"
	"sync"
)

func handle(id uint64, slot int) uint64 {
	var wg sync.WaitGroup
	parts := make([]uint64, 2)
	for k := 0; k < 2; k++ {
		wg.Add(1)
		go func(k int) {
			var buf [128]byte
			parts[k] = digest(render(buf[:0], id+uint64(k)))
			wg.Done()
		}(k)
	}
	wg.Wait()
	return parts[0] ^ parts[1]
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hwgadd:", requests, sum&0xff)
}
