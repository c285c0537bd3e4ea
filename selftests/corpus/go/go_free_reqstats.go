// SPDX-License-Identifier: GPL-2.0

// Category: control: a statistics counter bumped once per request, with
// an atomic add.
// Label: race-free.  go_racy_reqstats with the counter's ++ made an
// atomic.AddUint64 (LOCK XADDQ); the total is read after every handler
// has returned.
//
//	go_free_reqstats [SECONDS]
package main

import (
	"fmt"
	"sync/atomic"
)

var stats struct {
	served uint64
}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	atomic.AddUint64(&stats.served, 1)
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_reqstats:", requests, "requests,",
		atomic.LoadUint64(&stats.served), "counted", sum&0xff)
}
