// SPDX-License-Identifier: GPL-2.0

// Category: an err variable (here a named result) assigned both inside
// and outside a goroutine.
// Label: racy.  mirrorAll checks the second half of the blocks in a
// goroutine that assigns the function's named result err, while the
// function itself assigns err for the first half.  The channel receive
// orders only the return.
//
//	go_racy_errvar [SECONDS]
package main

import (
	"errors"
	"fmt"
)

const half = 1 << 16

var (
	blocks = make([]byte, 2*half)
	errIO  = errors.New("bad block")
)

func checkBlock(b byte) error {
	if b == 0xff {
		return errIO
	}
	return nil
}

func mirrorAll() (err error) {
	done := make(chan struct{})
	go func() {
		for _, b := range blocks[half:] {
			err = checkBlock(b) // RACE: errvar A
		}
		close(done)
	}()
	for _, b := range blocks[:half] {
		err = checkBlock(b) // RACE: errvar B
	}
	<-done
	return
}

func main() {
	end := runFor()
	for k := range blocks {
		blocks[k] = byte(k * 7)
	}
	failures := 0
	for !expired(end) {
		if mirrorAll() != nil {
			failures++
		}
	}
	fmt.Println("go_racy_errvar: failed mirrors:", failures)
}
