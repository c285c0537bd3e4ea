// SPDX-License-Identifier: GPL-2.0

// Category: a write done under a read lock.
// Label: racy.  lookup holds the RWMutex for reading, as a lookup should,
// but also bumps the hit counter it guards; readers do not exclude each
// other, so the stats reader's load (also under RLock) races with it.
//
//	go_racy_rlockwrite [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type cache struct {
	mu    sync.RWMutex
	value [16]int64
	hits  int64
}

func (c *cache) lookup(key int) int64 {
	c.mu.RLock()
	v := c.value[key&15]
	c.hits++ // RACE: rlockwrite A
	c.mu.RUnlock()
	return v
}

func (c *cache) hitCount() int64 {
	c.mu.RLock()
	h := c.hits // RACE: rlockwrite B
	c.mu.RUnlock()
	return h
}

func main() {
	end := runFor()
	c := &cache{}
	done := make(chan int64)
	go func() {
		var sum int64
		for !expired(end) {
			for n := 0; n < 4096; n++ {
				sum += c.lookup(n)
			}
		}
		done <- sum
	}()
	var last int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			last = c.hitCount()
		}
	}
	<-done
	fmt.Println("go_racy_rlockwrite: stats saw", last)
}
