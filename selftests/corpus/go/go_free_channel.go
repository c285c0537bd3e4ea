// SPDX-License-Identifier: GPL-2.0

// Category: control: channels hand buffers over, and their ownership.
// Label: race-free.  Four buffers circulate through two channels: the
// producer fills a buffer it owns and sends it on full; the consumer
// checks it and returns it on empty.  Only the owner touches a buffer.
//
//	go_free_channel [SECONDS]
package main

import "fmt"

type buffer struct {
	seq  int64
	word [512]int64
}

func main() {
	end := runFor()
	full := make(chan *buffer, 4)
	empty := make(chan *buffer, 4)
	for i := 0; i < 4; i++ {
		empty <- new(buffer)
	}
	go func() {
		for seq := int64(1); ; seq++ {
			b := <-empty
			if expired(end) {
				close(full)
				return
			}
			b.seq = seq
			for i := range b.word {
				b.word[i] = seq + int64(i)
			}
			full <- b
		}
	}()
	bad := 0
	for b := range full {
		for i, w := range b.word {
			if w != b.seq+int64(i) {
				bad++
			}
		}
		empty <- b
	}
	fmt.Println("go_free_channel:", bad, "bad words")
}
