// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hnamedret.go.
// Category: a named result read by a goroutine, per request.
// Label: free.  As go_racy_hnamedret, but the goroutine is given the
// status as an argument, evaluated when it starts.
//
//	go_free_hnamedret [SECONDS]
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
	go func(s int) {
		accessLog[s].Add(1)
	}(status)
	reply := fmt.Sprintf("HTTP/1.1 %d OK\r\nETag: %x\r\n", status, h)
	return 200 + int(digest([]byte(reply))%3)
}

func handle(id uint64, slot int) uint64 {
	return uint64(serve(id))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hnamedret:", requests, sum&0xff)
}
