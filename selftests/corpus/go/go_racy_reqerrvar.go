// SPDX-License-Identifier: GPL-2.0

// Category: an err variable captured by a goroutine per request.
// Label: racy.  serve starts a goroutine per request (at most four in
// flight) whose closure assigns its result with "n, err = handle(id)"
// instead of "n, err := ...": the err it writes, once in its life, is
// serve's own, which serve reads before every request to count the
// requests dispatched while the last one had failed.  Each handler's
// write races with the dispatcher's read.
//
//	go_racy_reqerrvar [SECONDS]
package main

import (
	"errors"
	"fmt"
	"time"
)

var errBadRequest = errors.New("400 bad request")

func handle(id uint64) (uint64, error) {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	if h>>60 == 0 { // one request in 16
		return 0, errBadRequest
	}
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	return digest([]byte(reply)), nil
}

func serve(end time.Time) (requests, degraded, sum uint64) {
	results := make(chan uint64, inflight)
	inFlight := 0
	var err error
	for ; !expired(end); requests++ {
		if err != nil { // RACE: reqerrvar B
			degraded++
		}
		if inFlight == inflight {
			sum += <-results
			inFlight--
		}
		inFlight++
		go func(id uint64) {
			var n uint64
			n, err = handle(id) // RACE: reqerrvar A
			results <- n
		}(requests)
	}
	for ; inFlight > 0; inFlight-- {
		sum += <-results
	}
	return
}

func main() {
	requests, degraded, sum := serve(runFor())
	fmt.Println("go_racy_reqerrvar:", requests, "requests,", degraded,
		"while failing", sum&0xff)
}
