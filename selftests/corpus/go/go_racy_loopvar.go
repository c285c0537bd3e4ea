// SPDX-License-Identifier: GPL-2.0

// Category: a loop variable captured by reference by a goroutine.
// Label: racy.  Before Go 1.22 a for-clause variable is one variable for
// the whole loop; the closure captures it by reference, so each worker
// keeps reading i while the loop increments it for the next job.
//
//	go_racy_loopvar [SECONDS]
package main

import "fmt"

const passes = 4096

var table [64]uint64

func main() {
	end := runFor()
	results := make(chan uint64, 2) // at most two workers in flight
	inFlight := 0
	var total uint64
	for i := 0; !expired(end); i++ { // RACE: loopvar A
		if inFlight == cap(results) {
			total += <-results
			inFlight--
		}
		inFlight++
		go func() {
			var acc uint64
			for n := 0; n < passes; n++ {
				acc += table[i&63] // RACE: loopvar B
			}
			results <- acc
		}()
	}
	for ; inFlight > 0; inFlight-- {
		total += <-results
	}
	fmt.Println("go_racy_loopvar:", total)
}
