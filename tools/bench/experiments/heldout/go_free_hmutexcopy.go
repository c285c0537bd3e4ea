// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hmutexcopy.go.
// Category: a mutex copied by value, once per request.
// Label: free.  As go_racy_hmutexcopy, but a pointer receiver: one mutex
// for all.
//
//	go_free_hmutexcopy [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type counters struct {
	mu      sync.Mutex
	byClass []uint64
}

func (s *counters) record(class int) {
	s.mu.Lock()
	s.byClass[class]++
	s.mu.Unlock()
}

var stats = counters{byClass: make([]uint64, 2)}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	stats.record(int(id & 1))
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hmutexcopy:", requests, stats.byClass[0], sum&0xff)
}
