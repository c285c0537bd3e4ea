// SPDX-License-Identifier: GPL-2.0

// Category: control: a map written under the mutex that guards it, once
// per request.
// Label: race-free.  go_racy_reqmap with the write moved under the
// registry's mutex: Record looks the tenant's map up and writes it in one
// critical section, so the dispatcher's admission check, which sums len()
// of every map under the same mutex, never overlaps a write.
//
//	go_free_reqmap [SECONDS]
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

func (r *registry) Record(tenant int, id, h uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sessions[tenant][id] = h
}

func (r *registry) Open() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.sessions {
		n += len(m)
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
	reg.Record(tenant, id, h)
	return h
}

func main() {
	for t := range reg.sessions {
		reg.sessions[t] = make(map[uint64]uint64)
	}
	requests, sum := dispatch(runFor(), handle, admit)
	fmt.Println("go_free_reqmap:", requests, "requests,", shed, "shed",
		sum&0xff)
}
