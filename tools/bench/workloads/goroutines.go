// SPDX-License-Identifier: GPL-2.0

// goroutines: a Go program with many goroutines (default 1000).  Half
// produce work items on a shared channel, half consume them and fold
// each into a map under a sync.Mutex.  Reports items consumed per second
// as "throughput <value> ops/s", like the C workloads.
//
//	goroutines [-t SECONDS] [-n GOROUTINES] [-s] [-i FILE]
//
// With -i FILE each consumer counts in its own word of FILE, mapped
// shared, one cache line apart, which tools/bench/ticks reads every
// 100 ms from another process (see workloads/common.h for why not here).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const (
	warmup = 500 * time.Millisecond
	keys   = 256
	rounds = 64 // private work per item, like the C workloads
)

const (
	phaseWarmup = iota
	phaseMeasure
	phaseStop
)

var (
	phase atomic.Int32
	mu    sync.Mutex
	table = make(map[uint64]uint64, keys)
)

// A plain load (atomic.Int32.Load): a watchpoint on it fires only on the
// two Stores per run, where a locked read would trap on every goroutine's
// check while racetrap watches the word.
func getPhase() int32 {
	return phase.Load()
}

func setPhase(p int32) {
	phase.Store(p)
}

func produce(id uint64, items chan<- uint64) {
	x := id*2654435761 + 1
	for getPhase() != phaseStop {
		for i := 0; i < rounds; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		select {
		case items <- x:
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// counterStride is workloads/common.c's: one cache line per counter.
const counterStride = 64

// counters returns n counters, in the file path (shared with ticks) or in
// private memory when path is empty.
func counters(path string, n int) []byte {
	if path == "" {
		return make([]byte, n*counterStride)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err == nil {
		err = f.Truncate(int64(n * counterStride))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "goroutines:", err)
		os.Exit(1)
	}
	defer f.Close()
	mem, err := syscall.Mmap(int(f.Fd()), 0, n*counterStride,
		syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goroutines: mmap:", err)
		os.Exit(1)
	}
	return mem
}

func counter(mem []byte, i int) *uint64 {
	return (*uint64)(unsafe.Pointer(&mem[i*counterStride]))
}

// consume counts in its own counter, which only it writes: a plain
// store, read by ticks (another process) or by main after wg.Wait.
func consume(items <-chan uint64, n *uint64, wg *sync.WaitGroup) {
	defer wg.Done()
	for getPhase() != phaseStop {
		select {
		case x := <-items:
			mu.Lock()
			table[x%keys] += x >> 32
			mu.Unlock()
			if getPhase() == phaseMeasure {
				*n++
			}
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func main() {
	seconds := flag.Float64("t", 5, "measured interval in seconds")
	n := flag.Int("n", 1000, "goroutines (half producers, half consumers)")
	waitSignal := flag.Bool("s", false, "start measuring on SIGUSR1")
	tickFile := flag.String("i", "", "keep the counters in this file, for ticks")
	flag.Parse()
	if *seconds <= 0 || *n < 2 {
		fmt.Fprintln(os.Stderr, "goroutines: -t must be > 0 and -n >= 2")
		os.Exit(2)
	}
	start := make(chan os.Signal, 1)
	if *waitSignal {
		signal.Notify(start, syscall.SIGUSR1)
	}

	items := make(chan uint64, 64)
	mem := counters(*tickFile, *n/2)
	var wg sync.WaitGroup
	for i := 0; i < *n/2; i++ {
		go produce(uint64(i), items)
		wg.Add(1)
		go consume(items, counter(mem, i), &wg)
	}

	fmt.Println("ready")
	if *waitSignal {
		<-start
	} else {
		time.Sleep(warmup)
	}
	t0 := time.Now()
	setPhase(phaseMeasure)
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	setPhase(phaseStop)
	elapsed := time.Since(t0).Seconds()
	wg.Wait()
	var ops uint64
	for i := 0; i < *n/2; i++ {
		ops += *counter(mem, i)
	}
	fmt.Printf("throughput %.1f ops/s\n", float64(ops)/elapsed)
}
