// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: partial locking, once per request.
// Label: racy.  A session's counter is updated under its mutex, its
// last-seen id after the unlock; the next request reads it under the lock.
//
//	go_racy_hpartial [SECONDS]
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
	prev := sess.lastID // RACE: hpartial B
	sess.mu.Unlock()
	sess.lastID = id // RACE: hpartial A
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x %d\r\n", h, prev)
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hpartial:", requests, sum&0xff)
}
