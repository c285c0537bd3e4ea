// SPDX-License-Identifier: GPL-2.0

// Category: shared memory mixed with channels: a future whose result is
// written on completion and on timeout.
// Label: racy.  The worker computes into f.result and signals on f.done;
// the caller selects on f.done and a 1 ms timer and, on timeout, stores
// its fallback into f.result while the worker is still writing it.  The
// channel orders only the completion path.  (The caller then drains
// f.done, so one worker runs at a time.)
//
//	go_racy_future [SECONDS]
package main

import (
	"fmt"
	"time"
)

const (
	workTime = 2 * time.Millisecond // the worker needs 2 ms
	timeout  = time.Millisecond     // the caller waits 1 ms
	timedOut = -1
)

type future struct {
	result int64
	done   chan struct{}
}

func (f *future) run() {
	start := time.Now()
	for time.Since(start) < workTime {
		for k := int64(0); k < 256; k++ {
			f.result = f.result*31 + k // RACE: future A
		}
	}
	f.done <- struct{}{}
}

func call() (*future, bool) {
	f := &future{done: make(chan struct{}, 1)}
	go f.run()
	select {
	case <-f.done:
		return f, true
	case <-time.After(timeout):
		f.result = timedOut // RACE: future B
		<-f.done            // one request in flight
		return f, false
	}
}

func main() {
	end := runFor()
	calls, timeouts := 0, 0
	for !expired(end) {
		calls++
		if _, ok := call(); !ok {
			timeouts++
		}
	}
	fmt.Println("go_racy_future:", calls, "calls,", timeouts, "timeouts")
}
