// SPDX-License-Identifier: GPL-2.0

// Category: an unlocked statistics counter, bumped once per request.
// Label: racy.  A goroutine per request (at most four in flight): each
// formats and hashes its request, counts itself in stats.served with a
// plain ++ and formats its reply.  Every handler runs the same line once
// in its life; two handlers in flight race on it, and increments get
// lost.
//
//	go_racy_reqstats [SECONDS]
package main

import "fmt"

var stats struct {
	served uint64
}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	stats.served++ // RACE: reqstats A B
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x\r\n", h)
	return digest([]byte(reply))
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_reqstats:", requests, "requests,", stats.served,
		"counted", sum&0xff)
}
