// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a buffer shared by every request.
// Label: racy.  Responses are assembled in one package-level scratch
// buffer, as if handlers ran one at a time: each request reads the fill
// mark, copies its header line in and advances the mark.  Requests in
// flight at once race on the mark (and on the bytes).
//
//	go_racy_hbuffer [SECONDS]
package main

import "fmt"

type scratchBuf struct {
	buf  [4096]byte
	used int
}

var scratch scratchBuf

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	s := &scratch

	h := digest(render(buf[:0], id))
	line := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	off := s.used // RACE: hbuffer B
	if off+len(line) > len(s.buf) {
		off = 0
	}
	n := copy(s.buf[off:], line)
	s.used = off + n // RACE: hbuffer A
	return h + uint64(n)
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hbuffer:", requests, sum&0xff)
}
