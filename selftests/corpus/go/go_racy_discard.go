// SPDX-License-Identifier: GPL-2.0

// Category: a scratch buffer shared by every user of a "discard" writer.
// Label: racy.  discard's ReadFrom drains its source into one package
// level scratch buffer, since nobody reads what it holds (io.Discard
// once did the same); but the sources write into it, so two goroutines
// copying from different sources write the same bytes at once.
//
//	go_racy_discard [SECONDS]
package main

import (
	"fmt"
	"io"
	"time"
)

type discard struct{}

var scratch [64]byte // BUG: shared by every ReadFrom

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func (discard) ReadFrom(r io.Reader) (n int64, err error) {
	for {
		m, err := r.Read(scratch[:])
		n += int64(m)
		if err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
	}
}

type patternSource struct{}

func (patternSource) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i) ^ 0x5a // RACE: discard A
	}
	return len(p), nil
}

type counterSource struct{ next byte }

func (s *counterSource) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = s.next // RACE: discard B
		s.next++
	}
	return len(p), nil
}

func drain(r io.Reader, end chan struct{}, out chan int64) {
	var total int64
	for {
		select {
		case <-end:
			out <- total
			return
		default:
		}
		n, _ := io.CopyN(discard{}, r, 64*1024)
		total += n
	}
}

func main() {
	end := runFor()
	stop := make(chan struct{})
	out := make(chan int64)
	go drain(patternSource{}, stop, out)
	go drain(&counterSource{}, stop, out)
	for !expired(end) {
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	fmt.Println("go_racy_discard:", <-out+<-out, "bytes")
}
