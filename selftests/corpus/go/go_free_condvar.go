// SPDX-License-Identifier: GPL-2.0

// Category: control: condition-variable hand-off (sync.Cond).
// Label: race-free.  One frame, owned by whoever ready says: the producer
// fills it outside the lock while it owns it, then sets ready and
// signals; the consumer waits for ready, reads the frame outside the lock
// and gives it back.  The lock orders every hand-over.
//
//	go_free_condvar [SECONDS]
package main

import (
	"fmt"
	"sync"
)

var (
	mu      sync.Mutex
	changed = sync.NewCond(&mu)
	ready   bool
	stop    bool
	frame   [256]int64
)

func main() {
	end := runFor()
	go func() {
		for seq := int64(1); ; seq++ {
			last := expired(end)
			for i := range frame { // we own the frame
				frame[i] = seq * int64(i)
			}
			mu.Lock()
			ready, stop = true, last
			changed.Signal()
			for ready {
				changed.Wait()
			}
			mu.Unlock()
			if last {
				return
			}
		}
	}()
	var sum int64
	for {
		mu.Lock()
		for !ready {
			changed.Wait()
		}
		last := stop
		mu.Unlock()
		for _, w := range frame { // now it is ours
			sum += w
		}
		mu.Lock()
		ready = false
		changed.Signal()
		mu.Unlock()
		if last {
			break
		}
	}
	fmt.Println("go_free_condvar: sum", sum)
}
