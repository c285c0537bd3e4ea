// SPDX-License-Identifier: GPL-2.0

// Category: control: every shared access under one sync.Mutex.
// Label: race-free.
//
//	go_free_mutex [SECONDS]
package main

import (
	"fmt"
	"sync"
)

var (
	mu      sync.Mutex
	balance int64
)

func main() {
	end := runFor()
	done := make(chan struct{})
	go func() {
		for !expired(end) {
			for n := 0; n < 4096; n++ {
				mu.Lock()
				balance += 2
				mu.Unlock()
			}
		}
		close(done)
	}()
	var odd int64
	for !expired(end) {
		for n := 0; n < 4096; n++ {
			mu.Lock()
			odd += balance & 1
			balance--
			mu.Unlock()
		}
	}
	<-done
	fmt.Println("go_free_mutex:", balance, odd)
}
