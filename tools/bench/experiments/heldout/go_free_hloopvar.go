// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hloopvar.go.
// Category: a loop variable captured by reference, per request.
// Label: free.  As go_racy_hloopvar, but each iteration copies r
// (r := r) before the goroutine captures it.
//
//	go_free_hloopvar [SECONDS]
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
	for _, r := range replicas {
		r := r
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			parts[i] = h * r.weight
		}(k)
		k++
	}
	wg.Wait()
	return parts[0] ^ parts[1] ^ parts[2]
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hloopvar:", requests, sum&0xff)
}
