// SPDX-License-Identifier: GPL-2.0

// Category: control: an err variable per goroutine, handed back over a
// channel.
// Label: race-free.  go_racy_reqerrvar with "n, err := handle(id)": each
// goroutine has its own err and sends it back with its result; serve
// learns that the last request failed from the result it receives.
//
//	go_free_reqerrvar [SECONDS]
package main

import (
	"errors"
	"fmt"
	"time"
)

var errBadRequest = errors.New("400 bad request")

type result struct {
	n   uint64
	err error
}

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
	results := make(chan result, inflight)
	inFlight := 0
	var err error
	for ; !expired(end); requests++ {
		if err != nil {
			degraded++
		}
		if inFlight == inflight {
			r := <-results
			sum += r.n
			err = r.err
			inFlight--
		}
		inFlight++
		go func(id uint64) {
			n, err := handle(id)
			results <- result{n, err}
		}(requests)
	}
	for ; inFlight > 0; inFlight-- {
		sum += (<-results).n
	}
	return
}

func main() {
	requests, degraded, sum := serve(runFor())
	fmt.Println("go_free_reqerrvar:", requests, "requests,", degraded,
		"while failing", sum&0xff)
}
