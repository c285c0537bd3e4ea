// SPDX-License-Identifier: GPL-2.0

// Category: a mutex copied by value, so each side locks its own copy.
// Label: racy.  ledger's methods have value receivers: every call copies
// the struct, mutex included, and locks the copy, while the cells slice
// in the copy still points at the one shared backing array.
//
//	go_racy_mutexcopy [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type ledger struct {
	mu    sync.Mutex
	cells []int64
}

func (l ledger) add(i int, v int64) { // BUG: value receiver
	l.mu.Lock()
	l.cells[i] += v // RACE: mutexcopy A
	l.mu.Unlock()
}

func (l ledger) get(i int) int64 {
	l.mu.Lock()
	v := l.cells[i] // RACE: mutexcopy B
	l.mu.Unlock()
	return v
}

func main() {
	end := runFor()
	book := ledger{cells: make([]int64, 4)}
	done := make(chan struct{})
	go func() {
		for !expired(end) {
			for n := 0; n < 4096; n++ {
				book.add(0, 1)
			}
		}
		close(done)
	}()
	var odd int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			odd += book.get(0) & 1
		}
	}
	<-done
	fmt.Println("go_racy_mutexcopy:", book.cells[0], odd)
}
