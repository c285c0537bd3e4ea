// SPDX-License-Identifier: GPL-2.0

// Category: a WaitGroup whose Add runs inside the worker.
// Label: racy.  Each round starts two workers that call wg.Add(1) only
// once they run; wg.Wait() usually finds the counter still at zero,
// returns at once, and the main goroutine reads the results while the
// workers write them.  (A semaphore channel, released by each worker,
// bounds the goroutines in flight.)
//
//	go_racy_wgadd [SECONDS]
package main

import (
	"fmt"
	"sync"
)

const passes = 20000

var results [2]int64

func main() {
	end := runFor()
	slots := make(chan struct{}, 4)
	var sum, rounds int64
	for !expired(end) {
		var wg sync.WaitGroup
		for w := 0; w < 2; w++ {
			slots <- struct{}{}
			go func(w int) {
				wg.Add(1) // BUG: too late, Wait may have returned
				defer wg.Done()
				for k := int64(0); k < passes; k++ {
					results[w] += k // RACE: wgadd A
				}
				<-slots
			}(w)
		}
		wg.Wait()
		for k := 0; k < passes; k++ {
			sum += results[k&1] // RACE: wgadd B
		}
		rounds++
	}
	for k := 0; k < cap(slots); k++ {
		slots <- struct{}{}
	}
	fmt.Println("go_racy_wgadd:", rounds, "rounds, sum", sum)
}
