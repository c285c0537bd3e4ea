// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hslice.go.
// Category: a shared slice appended to, once per request.
// Label: free.  As go_racy_hslice, but the append and the reset under one
// mutex.
//
//	go_free_hslice [SECONDS]
package main

import (
	"fmt"
	"sync"
	"time"
)

var latMu sync.Mutex

var latencies []time.Duration

func handle(id uint64, slot int) uint64 {
	t0 := time.Now()
	var buf [128]byte
	h := digest(render(buf[:0], id))
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	r := digest([]byte(reply))
	latMu.Lock()
	latencies = append(latencies, time.Since(t0))
	latMu.Unlock()
	return r
}

func main() {
	end := runFor()
	requests, sum := dispatch(end, handle, func(id uint64, slot int) {
		if id%4096 == 0 {
			latMu.Lock()
			latencies = nil
			latMu.Unlock()
		}
	})
	fmt.Println("go_free_hslice:", requests, sum&0xff)
}
