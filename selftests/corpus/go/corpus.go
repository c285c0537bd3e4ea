// SPDX-License-Identifier: GPL-2.0

// corpus.go: what every Go corpus program shares (built into each one):
// the run-for-SECONDS clock (os.Args[1], default 10), the label test's
// lock-order switch, and the dispatcher and request work of the
// per-request programs.  The deadline is set before any goroutine starts.
package main

import (
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

func runFor() time.Time {
	s := 10
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil && n > 0 {
			s = n
		}
	}
	return time.Now().Add(time.Duration(s) * time.Second)
}

// expired is called every few thousand racing accesses.  The atomic add
// on a variable nobody else sees changes nothing for the program and
// creates no ordering between goroutines, but under -race it is a release
// that starts a new epoch of the caller's vector clock.  Go 1.19's race
// detector (ThreadSanitizer v3) advances epochs only at such operations:
// in a loop without any, every access of a goroutine carries the epoch it
// had when it was created, and whether the race is reported came down to
// chance (one run in two for go_racy_stats).
func expired(end time.Time) bool {
	var tick uint32
	atomic.AddUint32(&tick, 1)
	return !time.Now().Before(end)
}

// Set only by the label test: see go_racy_lockorder.go.  Read once at
// start-up: os.Getenv goes through a sync.Once, and calling it from two
// goroutines would give the race detector an ordering edge of its own.
var hbOrderSet = os.Getenv("CORPUS_HB_ORDER") != ""

func hbOrder() bool {
	return hbOrderSet
}

// The per-request programs (go_racy_req*.go, go_free_req*.go) start a
// goroutine per request, as net/http does, with at most inflight in
// flight, and have each do a few microseconds of the work a service does
// around its one shared access: format the request, hash it (render,
// digest).
const inflight = 4

func render(buf []byte, id uint64) []byte {
	buf = append(buf, "GET /v1/items/"...)
	buf = strconv.AppendUint(buf, id, 10)
	buf = append(buf, "?user="...)
	buf = strconv.AppendUint(buf, id*2654435761, 16)
	return append(buf, " HTTP/1.1\r\nHost: corpus.example\r\nAccept: */*\r\n\r\n"...)
}

// digest is FNV-1a, 16 times over b: a few microseconds.
func digest(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for r := 0; r < 16; r++ {
		for _, c := range b {
			h = (h ^ uint64(c)) * 1099511628211
		}
	}
	return h
}

// dispatch is the dispatcher of the per-request programs whose race is
// in the handler (see corpus_dispatch() in c/corpus.h): it starts request
// after request until end, each in a free slot (0 to inflight-1), and
// runs handle(id, slot) in a new goroutine; before(id, slot), if not nil,
// runs in the dispatcher just before.  A slot comes back over a channel
// when its handler has returned, so a slot's requests never overlap,
// while those of different slots do.  Returns the number of requests and
// the sum of the handlers' results.
func dispatch(end time.Time, handle func(id uint64, slot int) uint64,
	before func(id uint64, slot int)) (requests, sum uint64) {
	type done struct {
		slot   int
		result uint64
	}
	free := make(chan done, inflight)
	for k := 0; k < inflight; k++ {
		free <- done{slot: k}
	}
	for ; !expired(end); requests++ {
		d := <-free
		sum += d.result
		if before != nil {
			before(requests, d.slot)
		}
		go func(id uint64, slot int) {
			free <- done{slot, handle(id, slot)}
		}(requests, d.slot)
	}
	for k := 0; k < inflight; k++ {
		sum += (<-free).result
	}
	return
}
