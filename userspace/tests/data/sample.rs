// SPDX-License-Identifier: GPL-2.0
//
// Test data for the host unit tests: Rust's atomics.  A flag published
// with a release store and awaited with an acquire load (plain MOVs both,
// atomic by their inlined core::sync::atomic frames alone) and a plain
// field's store.  Run with "wait" it prints "ready" and blocks until
// stdin closes.  Unmangled names, so the test finds the functions.
use std::io::{Read, Write};
use std::sync::atomic::{AtomicI32, Ordering};

pub struct Account {
    balance: i64,
}

pub struct Flag {
    ready: AtomicI32,
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn sample_rs_deposit(a: &mut Account, v: i64) {
    unsafe { std::ptr::write_volatile(&mut a.balance, a.balance + v) };
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn sample_rs_publish(f: &Flag) {
    f.ready.store(1, Ordering::Release);
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn sample_rs_await(f: &Flag) -> i32 {
    f.ready.load(Ordering::Acquire)
}

fn main() {
    let mut a = Account { balance: 0 };
    let flag = Flag { ready: AtomicI32::new(0) };

    for i in 0..100 {
        sample_rs_deposit(&mut a, i);
    }
    sample_rs_publish(&flag);
    println!("{} {}", a.balance, sample_rs_await(&flag));
    if std::env::args().nth(1).as_deref() == Some("wait") {
        let mut buf = [0u8; 16];
        println!("ready");
        std::io::stdout().flush().unwrap();
        while matches!(std::io::stdin().read(&mut buf), Ok(n) if n > 0) {}
    }
}
