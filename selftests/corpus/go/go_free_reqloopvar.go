// SPDX-License-Identifier: GPL-2.0

// Category: control: a loop variable copied for the goroutine started per
// iteration.
// Label: race-free.  go_racy_reqloopvar with the usual fix before Go
// 1.22: req := req declares a new variable per iteration, which the
// closure captures; the loop's next assignment writes the range variable,
// which no goroutine reads.
//
//	go_free_reqloopvar [SECONDS]
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
		for _, req := range batch {
			if inFlight == inflight {
				sum += <-results
				inFlight--
			}
			inFlight++
			req := req // a copy per goroutine
			go func() {
				results <- handle(req)
			}()
		}
		requests += batchSize
	}
	for ; inFlight > 0; inFlight-- {
		sum += <-results
	}
	fmt.Println("go_free_reqloopvar:", requests, "requests", sum&0xff)
}
