// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hbuffer.go.
// Category: a buffer shared by every request.
// Label: free.  As go_racy_hbuffer, but each dispatcher slot has a
// scratch buffer of its own (a slot's requests never overlap).
//
//	go_free_hbuffer [SECONDS]
package main

import "fmt"

type scratchBuf struct {
	buf  [4096]byte
	used int
}

var scratch [inflight]scratchBuf

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	s := &scratch[slot]

	h := digest(render(buf[:0], id))
	line := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	off := s.used
	if off+len(line) > len(s.buf) {
		off = 0
	}
	n := copy(s.buf[off:], line)
	s.used = off + n
	return h + uint64(n)
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hbuffer:", requests, sum&0xff)
}
