// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a write under a read lock, once per request.
// Label: racy.  get() holds the cache's RWMutex for reading and bumps the
// entry's hit count under it; two requests for the same key race on it.
//
//	go_racy_hrlock [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type entry struct {
	body  [64]byte
	hits  uint32
	class int
}

type cache struct {
	mu      sync.RWMutex
	entries map[uint64]*entry
}

var c = &cache{entries: make(map[uint64]*entry)}

func (c *cache) get(key uint64) *entry {
	c.mu.RLock()
	e := c.entries[key]
	if e != nil {
		e.hits++ // RACE: hrlock A B
	}
	c.mu.RUnlock()
	return e
}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	e := c.get(id % 8)
	reply := fmt.Sprintf("HTTP/1.1 200 OK\r\nETag: %x %d\r\n", h, e.class)
	return digest([]byte(reply))
}

func main() {
	for k := uint64(0); k < 8; k++ {
		c.entries[k] = &entry{class: int(k)}
	}
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hrlock:", requests, sum&0xff)
}
