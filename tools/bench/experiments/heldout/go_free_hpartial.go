// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hpartial.go.
// Category: partial locking, once per request.
// Label: free.  As go_racy_hpartial, but both fields under the lock.
//
//	go_free_hpartial [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type session struct {
	mu       sync.Mutex
	requests uint64
	lastID   uint64
}

var sess session

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	sess.mu.Lock()
	sess.requests++
	prev := sess.lastID
	sess.lastID = id
	sess.mu.Unlock()
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x %d\r\n", h, prev)
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hpartial:", requests, sum&0xff)
}
