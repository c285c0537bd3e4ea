// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a shared slice appended to, once per request.
// Label: racy.  Each request appends its latency to a package slice
// without a lock; the dispatcher resets it now and then.
//
//	go_racy_hslice [SECONDS]
package main

import (
	"fmt"
	"time"
)

var latencies []time.Duration

func handle(id uint64, slot int) uint64 {
	t0 := time.Now()
	var buf [128]byte
	h := digest(render(buf[:0], id))
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	r := digest([]byte(reply))
	latencies = append(latencies, time.Since(t0)) // RACE: hslice A B
	return r
}

func main() {
	end := runFor()
	requests, sum := dispatch(end, handle, func(id uint64, slot int) {
		if id%4096 == 0 {
			latencies = nil
		}
	})
	fmt.Println("go_racy_hslice:", requests, sum&0xff)
}
