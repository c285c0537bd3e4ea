// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a future that signals before it stores, per request.
// Label: racy.  The request's helper goroutine closes the ready channel
// and then stores the value the handler reads after receiving from it.
//
//	go_racy_hfuture [SECONDS]
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
		close(f.ready)
		f.val = h // RACE: hfuture A
	}()
	<-f.ready
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", f.val) // RACE: hfuture B
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hfuture:", requests, sum&0xff)
}
