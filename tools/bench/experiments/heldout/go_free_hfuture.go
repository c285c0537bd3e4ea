// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hfuture.go.
// Category: a future that signals before it stores, per request.
// Label: free.  As go_racy_hfuture, but the value stored before the
// channel is closed.
//
//	go_free_hfuture [SECONDS]
package main

import "fmt"

type future struct {
	ready chan struct{}
	val   uint64
}

func handle(id uint64, slot int) uint64 {
	f := &future{ready: make(chan struct{})}
	go func() {
		var buf [128]byte
		h := digest(render(buf[:0], id))
		f.val = h
		close(f.ready)
	}()
	<-f.ready
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", f.val)
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hfuture:", requests, sum&0xff)
}
