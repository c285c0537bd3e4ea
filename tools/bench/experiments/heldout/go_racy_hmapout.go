// SPDX-License-Identifier: GPL-2.0

// Held-out (tools/bench/experiments/heldout/run): one of the corpus's
// kinds in a per-request shape the corpus does not have.
// Category: a map handed out under a lock.
// Label: racy.  The router's Table returns its route map under the read
// lock, and a request sizes its fan-out by len() of it after the lock
// is gone, while one request in eight registers a new route through Set,
// under the write lock: the lock covered handing the map out, not using
// it.  (A new map replaces a full one, under the lock.)
//
//	go_racy_hmapout [SECONDS]
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

// Table returns the routes.  BUG: the lock covers finding the map, not
// reading it.
func (r *router) Table() map[uint64]uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.routes
}

func (r *router) Set(key, backend uint64) {
	r.mu.Lock()
	if len(r.routes) >= 256 {
		r.routes = make(map[uint64]uint64)
	}
	r.routes[key] = backend // RACE: hmapout A
	r.mu.Unlock()
}

func handle(id uint64, slot int) uint64 {
	var buf [128]byte

	h := digest(render(buf[:0], id))
	if id%8 == 0 {
		rt.Set(id, h)
		return h
	}
	fanout := 1 + len(rt.Table())/64 // RACE: hmapout B
	return h * uint64(fanout)
}

func main() {
	requests, sum := dispatch(runFor(), handle, nil)
	fmt.Println("go_racy_hmapout:", requests, sum&0xff)
}
