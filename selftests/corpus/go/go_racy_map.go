// SPDX-License-Identifier: GPL-2.0

// Category: a map written while another goroutine uses it.
// Label: racy.  The loader goroutine inserts into and deletes from
// sessions without a lock while the main goroutine reports len(sessions).
// (Two writers, or a writer and a lookup, are caught by the Go runtime
// itself, which kills the program with "concurrent map writes"; len(m)
// is not checked, so this race stays silent and the program runs on.)
//
//	go_racy_map [SECONDS]
package main

import "fmt"

func load(sessions map[int]int, stop chan struct{}) {
	for k := 0; ; k++ {
		if k%4096 == 0 {
			select {
			case <-stop:
				return
			default:
			}
		}
		sessions[k&1023] = k // RACE: map A
		delete(sessions, (k+512)&1023)
	}
}

func main() {
	end := runFor()
	sessions := make(map[int]int)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		load(sessions, stop)
		close(done)
	}()
	total := 0
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			total += len(sessions) // RACE: map B
		}
	}
	close(stop)
	<-done
	fmt.Println("go_racy_map:", total)
}
