// SPDX-License-Identifier: GPL-2.0

// Category: a loop variable captured by reference by a goroutine per
// iteration, read once.
// Label: racy.  The dispatcher takes a batch of requests and ranges over
// it, starting a goroutine per request (at most four in flight) whose
// closure reads req once, to handle it.  Before Go 1.22 the range
// variable is one variable for the whole loop: the closure captures it by
// reference, and the loop's next assignment to req races with the read
// of the goroutines it has started (which may handle the wrong request).
// The corpus is built with Go 1.19 and no go.mod (GO111MODULE=off), so
// the old semantics hold.
//
//	go_racy_reqloopvar [SECONDS]
package main

import "fmt"

const batchSize = 16

type request struct {
	id    uint64
	class int
}

func handle(req request) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], req.id))
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nX-Class: %d\r\nETag: %x\r\n",
		req.class, h)
	return digest([]byte(reply))
}

func main() {
	end := runFor()
	results := make(chan uint64, inflight)
	inFlight := 0
	var requests, sum uint64
	batch := make([]request, batchSize)
	for !expired(end) {
		for k := range batch {
			batch[k] = request{id: requests + uint64(k), class: k % 3}
		}
		for _, req := range batch { // RACE: reqloopvar A
			if inFlight == inflight {
				sum += <-results
				inFlight--
			}
			inFlight++
			go func() {
				results <- handle(req) // RACE: reqloopvar B
			}()
		}
		requests += batchSize
	}
	for ; inFlight > 0; inFlight-- {
		sum += <-results
	}
	fmt.Println("go_racy_reqloopvar:", requests, "requests", sum&0xff)
}
