// SPDX-License-Identifier: GPL-2.0

// Category: a slice header read while another goroutine appends under a
// lock.
// Label: racy.  The producer appends to items holding mu; the monitor
// reads len(items) (to show the latest item) without mu, racing with the
// header update of every append.
//
//	go_racy_slice [SECONDS]
package main

import (
	"fmt"
	"sync"
)

var (
	mu    sync.Mutex
	items = make([]int64, 0, 4096)
)

func produce(end chan struct{}) {
	for x := int64(0); ; x++ {
		if x%4096 == 0 {
			select {
			case <-end:
				return
			default:
			}
		}
		mu.Lock()
		if len(items) == cap(items) {
			items = items[:0] // a ring: memory stays bounded
		}
		items = append(items, x) // RACE: slice A
		mu.Unlock()
	}
}

func main() {
	end := runFor()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		produce(stop)
		close(done)
	}()
	var latest int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			if l := len(items); l > 0 { // RACE: slice B
				latest = int64(l)
			}
		}
	}
	close(stop)
	<-done
	fmt.Println("go_racy_slice: last length seen", latest)
}
