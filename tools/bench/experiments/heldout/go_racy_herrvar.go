// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: an err variable captured by a goroutine, per request.
// Label: racy.  The handler starts an audit goroutine whose closure
// assigns "_, err = audit(id)": the handler's own err, which the handler
// assigns again at the same time with the result of its lookup.  Two
// writes of err, once each in a request's life.
//
//	go_racy_herrvar [SECONDS]
package main

import (
	"errors"
	"fmt"
	"sync/atomic"
)

var (
	errNotFound = errors.New("404 not found")
	errDenied   = errors.New("403 forbidden")
	audited     atomic.Uint64
)

func parse(b []byte) (uint64, error) {
	if len(b) == 0 {
		return 0, errors.New("400 bad request")
	}
	return digest(b), nil
}

func audit(id uint64) (uint64, error) {
	if id%97 == 0 {
		return 0, errDenied
	}
	return audited.Add(1), nil
}

func lookup(key uint64) (uint64, error) {
	if key>>60 == 0 {
		return 0, errNotFound
	}
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", key)
	return digest([]byte(reply)), nil
}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	var n uint64

	key, err := parse(render(buf[:0], id))
	if err != nil {
		return 0
	}
	done := make(chan struct{})
	go func() {
		_, err = audit(id) // RACE: herrvar A
		close(done)
	}()
	n, err = lookup(key) // RACE: herrvar B
	<-done
	if err != nil {
		return 1
	}
	return n
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_herrvar:", requests, sum&0xff)
}
