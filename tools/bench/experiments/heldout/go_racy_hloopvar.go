// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a loop variable captured by reference, per request.
// Label: racy.  Each request fans out to three replicas, a goroutine per
// replica, and the closure reads the range variable r once.  Before Go
// 1.22 r is one variable for the whole loop: the loop's next assignment
// to it races with the read of the goroutine it has just started.
//
//	go_racy_hloopvar [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type replica struct {
	name   string
	weight uint64
}

var replicas = []replica{{"eu-1", 3}, {"eu-2", 5}, {"us-1", 7}}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	var parts [3]uint64
	var wg sync.WaitGroup

	h := digest(render(buf[:0], id))
	k := 0
	for _, r := range replicas { // RACE: hloopvar A
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			parts[i] = h * r.weight // RACE: hloopvar B
		}(k)
		k++
	}
	wg.Wait()
	return parts[0] ^ parts[1] ^ parts[2]
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hloopvar:", requests, sum&0xff)
}
