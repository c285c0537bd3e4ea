// SPDX-License-Identifier: GPL-2.0

// corpus.go: what every Go corpus program shares (built into each one):
// the run-for-SECONDS clock (os.Args[1], default 10) and the label test's
// lock-order switch.  The deadline is set before any goroutine starts.
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
