// SPDX-License-Identifier: GPL-2.0

// goroutines: a Go program with many goroutines (default 1000).  Half
// produce work items on a shared channel, half consume them and fold
// each into a map under a sync.Mutex.  Reports items consumed per second
// as "throughput <value> ops/s", like the C workloads.
//
//	goroutines [-t SECONDS] [-n GOROUTINES] [-s]
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

func consume(items <-chan uint64, ops *atomic.Uint64, wg *sync.WaitGroup) {
	defer wg.Done()
	var n uint64
	for getPhase() != phaseStop {
		select {
		case x := <-items:
			mu.Lock()
			table[x%keys] += x >> 32
			mu.Unlock()
			if getPhase() == phaseMeasure {
				n++
			}
		case <-time.After(10 * time.Millisecond):
		}
	}
	ops.Add(n)
}

func main() {
	seconds := flag.Float64("t", 5, "measured interval in seconds")
	n := flag.Int("n", 1000, "goroutines (half producers, half consumers)")
	waitSignal := flag.Bool("s", false, "start measuring on SIGUSR1")
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
	var ops atomic.Uint64
	var wg sync.WaitGroup
	for i := 0; i < *n/2; i++ {
		go produce(uint64(i), items)
		wg.Add(1)
		go consume(items, &ops, &wg)
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
	fmt.Printf("throughput %.1f ops/s\n", float64(ops.Load())/elapsed)
}
