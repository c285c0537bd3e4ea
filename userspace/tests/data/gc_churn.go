// SPDX-License-Identifier: GPL-2.0

// A race-free Go program that allocates hard enough to keep the garbage
// collector and the scheduler busy: GC mark workers read heap objects
// while goroutines write them, which racetrap must not report.  Shared
// state is only touched under a mutex.  Usage: gc_churn [SECONDS]
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

type node struct {
	next *node
	val  [4]int64
}

func main() {
	seconds := 6
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil && n > 0 {
			seconds = n
		}
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keep *node
			local := map[int]int{}
			for time.Now().Before(deadline) {
				for i := 0; i < 1000; i++ {
					n := &node{next: keep}
					n.val[0] = int64(i)
					if i%10 == 0 {
						keep = n
					}
					local[i%100] = i
				}
				s := make([]int, 0)
				for i := 0; i < 500; i++ {
					s = append(s, i)
				}
				keep = nil
				mu.Lock()
				total += len(s) + len(local)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println("gc_churn: done", total > 0)
}
