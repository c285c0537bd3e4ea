// SPDX-License-Identifier: GPL-2.0

// Category: control: goroutine-local data.
// Label: race-free.  Each goroutine counts into its own heap-allocated
// tally (Go has no thread-local storage; this is its idiom) and hands it
// back over a channel when done.
//
//	go_free_tls [SECONDS]
package main

import (
	"fmt"
	"time"
)

type tally struct{ calls, bytes uint64 }

func work(step uint64, end time.Time, out chan *tally) {
	mine := new(tally)
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			mine.calls++
			mine.bytes += step
		}
	}
	out <- mine
}

func main() {
	end := runFor()
	out := make(chan *tally)
	go work(1, end, out)
	go work(3, end, out)
	a, b := <-out, <-out
	fmt.Println("go_free_tls:", a.calls+b.calls, "calls")
}
