// SPDX-License-Identifier: GPL-2.0

// Category: control: sync/atomic loads and stores (atomic.Bool and
// atomic.Pointer).
// Label: race-free.  A producer fills a message while it owns it, then
// publishes it with atomic.Pointer.Store and atomic.Bool.Store (XCHG);
// the consumer waits with atomic.Bool.Load (a plain MOV, inlined into
// the loop), takes the message with atomic.Pointer.Load, reads it and
// hands it back with Store(false).  The flag orders every hand-over.
//
//	go_free_publish [SECONDS]
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

const words = 15

type msg struct {
	seq   int
	words [words]int
}

var (
	full atomic.Bool // true: the consumer owns the message
	box  atomic.Pointer[msg]
	done atomic.Bool
)

func producer(end func() bool, wg *sync.WaitGroup) {
	defer wg.Done()
	m := &msg{}
	for seq := 1; ; seq++ {
		for full.Load() {
			runtime.Gosched()
		}
		if end() {
			done.Store(true)
			return
		}
		m.seq = seq // we own the message
		for i := range m.words {
			m.words[i] = seq * i
		}
		box.Store(m)
		full.Store(true)
	}
}

func consumer(bad *int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		for !full.Load() {
			if done.Load() {
				return
			}
			runtime.Gosched()
		}
		m := box.Load()
		for i := range m.words { // we own the message
			if m.words[i] != m.seq*i {
				*bad++
			}
		}
		full.Store(false)
	}
}

func main() {
	deadline := runFor()
	end := func() bool { return expired(deadline) }
	var wg sync.WaitGroup
	bad := 0
	wg.Add(2)
	go producer(end, &wg)
	go consumer(&bad, &wg)
	wg.Wait()
	fmt.Println("go_free_publish:", bad, "torn messages")
	if bad != 0 {
		os.Exit(1)
	}
}
