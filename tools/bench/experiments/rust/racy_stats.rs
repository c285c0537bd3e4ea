// SPDX-License-Identifier: GPL-2.0
//
// A data race in Rust: two worker threads bump a statistics counter in a
// static mut without synchronization (unsafe), beside an atomic counter
// that is used correctly.
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

static mut HITS: u64 = 0;
static REQUESTS: AtomicU64 = AtomicU64::new(0);

#[inline(never)]
fn digest(id: u64) -> u64 {
    let mut h = 0xcbf29ce484222325u64;
    for i in 0..64 {
        h = (h ^ (id + i)) .wrapping_mul(0x100000001b3);
    }
    h
}

#[inline(never)]
fn handle(id: u64) -> u64 {
    let h = digest(id);
    unsafe {
        HITS += 1; // RACE
    }
    REQUESTS.fetch_add(1, Ordering::Relaxed);
    h
}

fn main() {
    let secs: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let end = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..2)
        .map(|w| {
            thread::spawn(move || {
                let mut s = 0u64;
                let mut id = w;
                while Instant::now() < end {
                    s ^= handle(id);
                    id += 2;
                }
                s
            })
        })
        .collect();
    let mut s = 0;
    for w in workers {
        s ^= w.join().unwrap();
    }
    println!("{} {} {}", unsafe { HITS }, REQUESTS.load(Ordering::Relaxed), s & 1);
}
