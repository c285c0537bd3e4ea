// SPDX-License-Identifier: GPL-2.0

// Category: a map handed out under a lock, then written without it, once
// per request.
// Label: racy.  The registry keeps a map of sessions per tenant;
// Sessions looks a tenant's map up under the registry's mutex and
// returns it, and the caller writes it without the mutex, as if the lock
// had come with the map.  A goroutine per request (at most four in
// flight, one per tenant: a tenant's requests never overlap, so the Go
// runtime's "concurrent map writes" check never fires) opens its session
// once, sessions[id] = h (A, in runtime.mapassign_fast64), while the
// dispatcher's admission check sums len() of every map under the mutex
// (B) before each request.  The dispatcher also gives a tenant a fresh
// map, between two of its requests, when it holds 512 sessions.
//
//	go_racy_reqmap [SECONDS]
package main

import (
	"fmt"
	"sync"
)

const (
	tableSize = 512
	maxOpen   = inflight * tableSize * 3 / 4
)

type registry struct {
	mu       sync.Mutex
	sessions [inflight]map[uint64]uint64
}

var (
	reg  registry
	shed uint64 // dispatcher only
)

// Sessions returns the tenant's sessions.  BUG: the mutex covers finding
// the map, not using it.
func (r *registry) Sessions(tenant int) map[uint64]uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sessions[tenant]
}

func (r *registry) Open() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.sessions {
		n += len(m) // RACE: reqmap B
	}
	return n
}

// Rotate is called while none of the tenant's requests is in flight.
func (r *registry) Rotate(tenant int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sessions[tenant]) >= tableSize {
		r.sessions[tenant] = make(map[uint64]uint64)
	}
}

func admit(id uint64, tenant int) {
	reg.Rotate(tenant)
	if reg.Open() >= maxOpen {
		shed++
	}
}

func handle(id uint64, tenant int) uint64 {
	var buf [128]byte
	h := digest(render(buf[:0], id))
	sessions := reg.Sessions(tenant)
	sessions[id] = h // RACE: reqmap A
	return h
}

func main() {
	for t := range reg.sessions {
		reg.sessions[t] = make(map[uint64]uint64)
	}
	requests, sum := dispatch(runFor(), handle, admit)
	fmt.Println("go_racy_reqmap:", requests, "requests,", shed, "shed",
		sum&0xff)
}
