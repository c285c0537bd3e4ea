// SPDX-License-Identifier: GPL-2.0

// Category: control: heavy allocation, so the garbage collector's mark
// workers read heap objects while goroutines write them (by design, with
// write barriers) and the scheduler moves goroutines between threads.
// Label: race-free: shared state only under a mutex; racetrap must report
// nothing, i.e. filter the runtime's own concurrent machinery.
//
//	go_free_gcchurn [SECONDS]
package main

import (
	"fmt"
	"sync"
)

type node struct {
	next *node
	val  [4]int64
}

func main() {
	end := runFor()
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keep *node
			local := map[int]int{}
			for !expired(end) {
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
	fmt.Println("go_free_gcchurn: done", total > 0)
}
