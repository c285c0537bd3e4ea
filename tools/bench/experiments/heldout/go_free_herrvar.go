// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_herrvar.go.
// Category: an err variable captured by a goroutine, per request.
// Label: free.  As go_racy_herrvar, but the audit goroutine keeps its
// error in a variable of its own, read after the handler has waited.
//
//	go_free_herrvar [SECONDS]
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
	var auditErr error
	done := make(chan struct{})
	go func() {
		_, auditErr = audit(id)
		close(done)
	}()
	n, err = lookup(key)
	<-done
	if err != nil || auditErr != nil {
		return 1
	}
	return n
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_herrvar:", requests, sum&0xff)
}
