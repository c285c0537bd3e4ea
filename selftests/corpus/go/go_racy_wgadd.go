// SPDX-License-Identifier: GPL-2.0

// Category: a WaitGroup whose Add runs inside the worker.
// Label: racy.  Each round starts a worker that calls wg.Add(1) only once
// it runs; wg.Wait() usually finds the counter still at zero, returns at
// once, and the main goroutine reads the result while the worker writes
// it.  (A one-slot semaphore channel, released by the worker, keeps one
// worker in flight, so the next round starts after it.  One worker per
// WaitGroup: with two, the second Add can land while Wait is waking up,
// and the sync package panics with "WaitGroup is reused before previous
// Wait has returned", ending the run early.)
//
//	go_racy_wgadd [SECONDS]
package main

import (
	"fmt"
	"sync"
)

const passes = 20000

var result int64

func main() {
	end := runFor()
	slots := make(chan struct{}, 1)
	var sum, rounds int64
	for !expired(end) {
		var wg sync.WaitGroup
		slots <- struct{}{}
		go func() {
			wg.Add(1) // BUG: too late, Wait may have returned
			defer wg.Done()
			for k := int64(0); k < passes; k++ {
				result += k // RACE: wgadd A
			}
			<-slots
		}()
		wg.Wait()
		for k := 0; k < passes; k++ {
			sum += result // RACE: wgadd B
		}
		rounds++
	}
	for k := 0; k < cap(slots); k++ {
		slots <- struct{}{}
	}
	fmt.Println("go_racy_wgadd:", rounds, "rounds, sum", sum)
}
