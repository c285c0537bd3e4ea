// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): the race-free twin of
// go_racy_hmapout.go.
// Category: a map handed out under a lock.
// Label: free.  As go_racy_hmapout, but the router answers the size
// itself, under its read lock.
//
//	go_free_hmapout [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type router struct {
	mu     sync.RWMutex
	routes map[uint64]uint64
}

var rt = router{routes: make(map[uint64]uint64)}

func (r *router) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.routes)
}

func (r *router) Set(key, backend uint64) {
	r.mu.Lock()
	if len(r.routes) >= 256 {
		r.routes = make(map[uint64]uint64)
	}
	r.routes[key] = backend
	r.mu.Unlock()
}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte

	h := digest(render(buf[:0], id))
	if id%8 == 0 {
		rt.Set(id, h)
		return h
	}
	fanout := 1 + rt.Len()/64
	return h * uint64(fanout)
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_free_hmapout:", requests, sum&0xff)
}
