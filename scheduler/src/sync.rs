//! The only place in this crate that names a synchronisation primitive.
//!
//! Following `crossbeam-utils`, every other module imports its atomics,
//! locks and spin hints from here. A normal build gets std's; a build with
//! `RUSTFLAGS="--cfg baton_loom"` gets loom's, so the loom models in
//! `baton-loom-tests` check the very code that the rayon workers run. The cfg
//! is project-prefixed (not bare `loom`) so that it does not flip every other
//! loom-aware crate in the dependency graph as well.
//!
//! Nothing in the modelled code needs `std::thread::scope` or `LazyLock`,
//! which loom lacks: the workers borrow a `Dispatch` that the caller owns, and
//! the rayon side (which loom never sees) does the spawning.

#![allow(unused_imports)] // each build uses a different subset

#[cfg(not(baton_loom))]
mod imp {
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
    pub(crate) use std::sync::{Arc, Condvar, Mutex, MutexGuard};

    /// Rounds of busy-waiting (each `2^round` spin hints for the first six,
    /// then a yield each) an idle worker spends looking for work before it
    /// sleeps on the condvar: about 50 µs when nothing else wants the core.
    /// Waking a sleeper costs a futex round trip (tens of µs on a VM), which
    /// is worth avoiding when the next ready transaction, or the end of the
    /// batch, is a few µs away; a wave's tail often waits on a short chain
    /// running on another worker.
    pub(crate) const SPIN_ROUNDS: u32 = 64;

    /// A CPU spin-wait hint.
    #[inline]
    pub(crate) fn spin_loop() {
        std::hint::spin_loop();
    }

    /// Give the rest of this time slice to another thread.
    #[inline]
    pub(crate) fn yield_now() {
        std::thread::yield_now();
    }
}

#[cfg(baton_loom)]
mod imp {
    pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
    pub(crate) use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

    /// Under loom an idle worker goes straight to the condvar: a spin loop
    /// adds nothing loom can check (it only re-reads the same hints) and
    /// multiplies the interleavings to explore.
    pub(crate) const SPIN_ROUNDS: u32 = 0;

    /// Loom's spin hint: a yield point for the model checker.
    #[inline]
    pub(crate) fn spin_loop() {
        loom::hint::spin_loop();
    }

    /// Loom's yield: lets the model checker run another thread.
    #[inline]
    pub(crate) fn yield_now() {
        loom::thread::yield_now();
    }
}

pub(crate) use crossbeam_utils::CachePadded;

pub(crate) use imp::*;

/// [`SPIN_ROUNDS`] behind a call, so that the loop bound is not a literal
/// `0..0` under loom (which clippy would reject as an empty range).
#[inline]
pub(crate) fn spin_rounds() -> u32 {
    SPIN_ROUNDS
}
/// std's mutex in every build, for state that no model exercises (the
/// scheduler's reusable graph-building buffers, touched once per batch on
/// the calling thread): loom's primitives may only be created inside a
/// model, and a `Scheduler` is not.
pub(crate) use std::sync::{Mutex as StdMutex, TryLockError};

/// std's atomics in every build, for the same reason: the linger flag of a
/// `Scheduler` (a hint to idle pool threads, which no model exercises).
pub(crate) use std::sync::atomic::{AtomicU64 as StdAtomicU64, Ordering as StdOrdering};

/// Lock `m`, ignoring poisoning: no code in this crate panics while holding
/// one of its locks (the user's callback never runs under a lock), so a
/// poisoned lock still guards consistent data.
#[inline]
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
