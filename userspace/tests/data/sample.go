// SPDX-License-Identifier: GPL-2.0

// Test data for the host unit tests: a Go program whose user code
// touches maps and slices (through runtime.mapassign, runtime.growslice)
// and allocates enough to run the garbage collector.
package main

import (
	"fmt"
	"os"
	"sync"
)

var shared = map[int]int{}
var mu sync.Mutex

//go:noinline
func sampleWriter(p *int64, v int64) {
	*p = v // SAMPLE_GO_WRITER_LINE
}

func fill(n int) []int {
	var s []int
	for i := 0; i < n; i++ {
		s = append(s, i)
	}
	return s
}

func main() {
	var x int64
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) { // SAMPLE_GO_GO_LINE
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				mu.Lock()
				shared[i] = len(fill(i % 50))
				mu.Unlock()
				sampleWriter(&x, int64(i))
			}
		}(g)
	}
	wg.Wait()
	fmt.Println(len(shared), x)
	if len(os.Args) > 1 && os.Args[1] == "wait" {
		fmt.Println("ready")
		buf := make([]byte, 16)
		for {
			if n, err := os.Stdin.Read(buf); n == 0 || err != nil {
				break
			}
		}
	}
}
