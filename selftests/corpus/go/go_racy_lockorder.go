// SPDX-License-Identifier: GPL-2.0

// Category: partial locking that a happens-before detector sees only
// under one lock order.
// Label: racy.  The updater stores configGen outside any lock and then
// takes bigLock for unrelated work; the reader takes bigLock for its own
// work and then loads configGen outside it.  When the updater's critical
// section comes first, its Unlock "orders" the store before the load and
// the Go race detector stays silent; only the other order shows it.
// Nothing orders the accesses in either case; a sampler catches both.
//
// CORPUS_HB_ORDER set (the label test only): the reader runs one
// iteration and then idles 400 ms; the updater starts 200 ms late, so
// its first store lands in the reader's pause, after the reader's
// section and load and unordered with them: the race detector must see
// it.  (Sleeping in both loops, rather than racing at full speed, also
// keeps the reader's history short enough for the detector to restore
// its stack on a loaded machine; it drops a report it cannot restore.)
//
//	go_racy_lockorder [SECONDS]
package main

import (
	"fmt"
	"sync"
	"time"
)

var (
	bigLock   sync.Mutex
	configGen int64
	work      [2]int64 // guarded by bigLock
)

func updater(end time.Time, done chan struct{}) {
	if hbOrder() {
		time.Sleep(200 * time.Millisecond)
	}
	for !expired(end) {
		for n := int64(0); n < 4096; n++ {
			configGen = n // RACE: lockorder A
			bigLock.Lock()
			work[0]++
			bigLock.Unlock()
		}
	}
	close(done)
}

func main() {
	end := runFor()
	done := make(chan struct{})
	go updater(end, done)
	var seen int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			bigLock.Lock()
			work[1]++
			bigLock.Unlock()
			seen += configGen // RACE: lockorder B
			if n == 0 && hbOrder() && seen == 0 {
				time.Sleep(400 * time.Millisecond)
			}
		}
	}
	<-done
	fmt.Println("go_racy_lockorder: seen", seen)
}
