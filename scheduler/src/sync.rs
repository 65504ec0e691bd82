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

    /// How long a waiting thread may spin and yield (see [`Backoff`])
    /// before it parks: about what 64 rounds of spinning and yielding took
    /// on the project's 2-core VM when nothing else wanted the core. Waking
    /// a parked thread costs a futex round trip (tens of µs on a VM), which
    /// is worth avoiding when the next ready transaction, or the end of the
    /// batch, is a few µs away; a wave's tail often waits on a short chain
    /// running on another worker.
    pub(crate) const SPIN_BUDGET: std::time::Duration = std::time::Duration::from_micros(50);

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

    /// Under loom a waiting thread parks at once (see [`Backoff`]): a spin
    /// loop adds nothing loom can check (it only re-reads the same hints)
    /// and multiplies the interleavings to explore, and the park is the
    /// part whose hand-off can go wrong.
    pub(crate) const SPIN_BUDGET: std::time::Duration = std::time::Duration::ZERO;

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

/// Rounds of a [`Backoff`] that only spin (`2^round` hints each, about a
/// hundred hints in all) before it starts yielding.
const SPIN_ONLY_ROUNDS: u32 = 6;

/// The waiting policy of every wait in this crate: spin, then yield, then
/// park. Each call to [`snooze`](Self::snooze) waits a little and says
/// whether the caller may keep polling; once it says no, the caller must
/// block (on a condvar) instead.
///
/// The first rounds spin with a doubling count of CPU hints (well under a
/// microsecond in all); then each round yields the core, until
/// [`SPIN_BUDGET`] has passed since the first yield. The budget is wall-clock time, not rounds, so a waiter that is
/// not getting its core — a yield that hands the core to another process
/// for a whole time slice, or a preemption between two polls — spends its
/// budget at once and parks, instead of competing with the very thread it
/// waits for. No spin is unbounded.
pub(crate) struct Backoff {
    round: u32,
    started: Option<std::time::Instant>,
}

impl Backoff {
    /// A fresh wait.
    #[inline]
    pub(crate) fn new() -> Self {
        Self {
            round: 0,
            started: None,
        }
    }

    /// Wait one round; false once the caller should park instead.
    #[inline]
    pub(crate) fn snooze(&mut self) -> bool {
        if SPIN_BUDGET.is_zero() {
            return false;
        }
        if self.round < SPIN_ONLY_ROUNDS {
            for _ in 0..1u32 << self.round {
                spin_loop();
            }
            self.round += 1;
            return true;
        }
        let now = std::time::Instant::now();
        let started = *self.started.get_or_insert(now);
        if now.duration_since(started) >= SPIN_BUDGET {
            return false;
        }
        yield_now();
        true
    }
}
/// std's mutex in every build, for state that no model exercises (the
/// scheduler's reusable graph-building buffers, taken and put back once
/// per graph built): loom's primitives may only be created inside a
/// model, and a `Scheduler` is not.
pub(crate) use std::sync::Mutex as StdMutex;

/// std's atomics in every build, for the same reason: the linger flag and
/// the contention record of a `Scheduler` (hints that choose between two
/// correct ways to run a batch, which no model exercises).
pub(crate) use std::sync::atomic::{
    AtomicI64 as StdAtomicI64, AtomicU64 as StdAtomicU64, Ordering as StdOrdering,
};

/// Lock `m`, ignoring poisoning: no code in this crate panics while holding
/// one of its locks (the user's callback never runs under a lock), so a
/// poisoned lock still guards consistent data.
#[inline]
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
