// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a named result read by a goroutine, per request.
// Label: racy.  serve logs each request's status from a goroutine it
// starts before returning; the closure reads the named result status,
// which serve's return statement writes.
//
//	go_racy_hnamedret [SECONDS]
package main

import (
	"fmt"
	"sync/atomic"
)

var accessLog [600]atomic.Uint64

func serve(id uint64) (status int) {
	var buf [128]byte

	h := digest(render(buf[:0], id))
	status = 200
	go func() {
		accessLog[status].Add(1) // RACE: hnamedret B
	}()
	reply := fmt.Sprintf("HTTP/1.1 %d OK\r\nETag: %x\r\n", status, h)
	return 200 + int(digest([]byte(reply))%3) // RACE: hnamedret A
}

func handle(id uint64, slot int) uint64 {
	return uint64(serve(id))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hnamedret:", requests, sum&0xff)
}
