// SPDX-License-Identifier: GPL-2.0

// Category: control: read-only sharing.
// Label: race-free.  main fills crcTable before starting the goroutines;
// afterwards everyone only reads it.
//
//	go_free_readonly [SECONDS]
package main

import (
	"fmt"
	"time"
)

var crcTable [256]uint32

func checksum(seed uint32, end time.Time, out chan uint32) {
	crc := seed
	for !expired(end) {
		for n := uint32(0); n < 4096; n++ {
			crc = crcTable[(crc^n)&0xff] ^ (crc >> 8)
		}
	}
	out <- crc
}

func main() {
	end := runFor()
	for i := range crcTable {
		c := uint32(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = 0xedb88320 ^ (c >> 1)
			} else {
				c >>= 1
			}
		}
		crcTable[i] = c
	}
	out := make(chan uint32)
	go checksum(1, end, out)
	go checksum(2, end, out)
	fmt.Printf("go_free_readonly: %x %x\n", <-out, <-out)
}
