// SPDX-License-Identifier: GPL-2.0

// churn_go [SECONDS]: a race-free Go service in miniature, for the churn
// soak (test_churn.sh).  A dispatcher starts a goroutine per request, at
// most 8 in flight; each builds a map of freshly allocated strings and
// slices, recurses deep enough to grow its stack several times, and hands
// its result back over a channel.  The garbage collector runs all the
// time.  Every result is also computed again by the dispatcher, so a
// corrupted heap, stack or register shows as a wrong sum: exit 1.  Exit
// 0 prints "churn_go: ok REQUESTS".
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

const inflight = 8

// A frame of about 512 bytes: 64 levels need 32 KiB, four times the
// 8 KiB a goroutine starts with, so most requests grow their stack.
func deep(level int, seed uint64) uint64 {
	var pad [64]uint64
	for i := range pad {
		pad[i] = seed + uint64(i*level)
	}
	if level == 0 {
		return pad[63]
	}
	return deep(level-1, pad[level%64]) ^ pad[0]
}

func request(id uint64) uint64 {
	m := make(map[string][]uint64, 16)
	for i := uint64(0); i < 64; i++ {
		k := "item-" + strconv.FormatUint((id+i)%97, 10)
		m[k] = append(m[k], id*i)
	}
	var sum uint64
	for _, v := range m {
		for _, x := range v {
			sum += x
		}
	}
	return sum + deep(64, id)
}

func main() {
	secs := 10
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil && n > 0 {
			secs = n
		}
	}
	end := time.Now().Add(time.Duration(secs) * time.Second)
	results := make(chan [2]uint64, inflight)
	slots := make(chan struct{}, inflight)
	var wg sync.WaitGroup
	var id, bad uint64
	done := make(chan struct{})
	go func() {
		for r := range results {
			if r[1] != request(r[0]) {
				bad++
			}
		}
		close(done)
	}()
	for time.Now().Before(end) {
		slots <- struct{}{}
		wg.Add(1)
		id++
		go func(id uint64) {
			defer wg.Done()
			results <- [2]uint64{id, request(id)}
			<-slots
		}(id)
	}
	wg.Wait()
	close(results)
	<-done
	if bad != 0 {
		fmt.Printf("churn_go: %d of %d results wrong\n", bad, id)
		os.Exit(1)
	}
	fmt.Printf("churn_go: ok %d\n", id)
}
