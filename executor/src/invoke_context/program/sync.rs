//! The only place that names the synchronisation primitives of the
//! program cache ([`FirstUseCache`](super::first_use::FirstUseCache)).
//!
//! A normal build gets std's `Arc`, `RwLock` and `OnceLock`. A build with
//! `RUSTFLAGS="--cfg baton_loom"` gets loom's `Arc` and `RwLock`, so the loom
//! models in `baton-loom-tests` check the cache's real lookup, insert,
//! remove and invalidate code. Loom has no `OnceLock`; under loom the cell is
//! [`OnceLock`] below, built from loom's `Mutex` and `Condvar` with the same
//! contract as the parts of std's that the cache uses (`get`,
//! `get_or_init`, `Default`): at most one initialiser runs at a time,
//! callers that find one running wait for it, and a panicking initialiser
//! leaves the cell empty for the next caller. The models therefore assume
//! std's `OnceLock` keeps that contract and check everything built on it.
//!
//! The rest of the executor (the `Arc<dyn Program>`s a registry hands out,
//! the source it holds) uses std's types in every build: loom only needs
//! to see the primitives that order the cache's threads.

#![allow(unused_imports)] // each build uses a different subset

#[cfg(not(baton_loom))]
pub(crate) use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

#[cfg(baton_loom)]
pub(crate) use loom::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

#[cfg(baton_loom)]
pub(crate) use loom_once::OnceLock;

/// Read-lock `lock`, ignoring poisoning: no code panics while holding the
/// cache's lock (loading runs with it released), and were it to, the map
/// itself is still consistent.
#[inline]
pub(crate) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Write-lock `lock`, ignoring poisoning (see [`read`]).
#[inline]
pub(crate) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(baton_loom)]
mod loom_once {
    use loom::sync::{Condvar, Mutex, MutexGuard};

    /// Where a [`OnceLock`] is: empty, being filled by one thread, filled.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Empty,
        Running,
        Done,
    }

    /// Loom's stand-in for `std::sync::OnceLock`: the state is a loom
    /// `Mutex` that waiters sleep on through a loom `Condvar`, so loom sees
    /// (and explores) every hand-off; the value itself sits in a std
    /// `OnceLock` that only the one thread in `Running` ever sets (so it
    /// never blocks, which a loom thread must not do outside loom's
    /// primitives) and that is read only after `Done` was seen under the
    /// mutex (which orders the read after the write, as std's acquire load
    /// does).
    pub(crate) struct OnceLock<T> {
        state: Mutex<State>,
        done: Condvar,
        value: std::sync::OnceLock<T>,
    }

    impl<T> Default for OnceLock<T> {
        fn default() -> Self {
            Self {
                state: Mutex::new(State::Empty),
                done: Condvar::new(),
                value: std::sync::OnceLock::new(),
            }
        }
    }

    fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
        m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends a `Running` state however the initialiser ends: `Done` if it
    /// returned, `Empty` again if it panicked; wakes every waiter.
    struct Finish<'a, T>(&'a OnceLock<T>);

    impl<T> Drop for Finish<'_, T> {
        fn drop(&mut self) {
            let cell = self.0;
            *lock(&cell.state) = if cell.value.get().is_some() {
                State::Done
            } else {
                State::Empty
            };
            cell.done.notify_all();
        }
    }

    impl<T> OnceLock<T> {
        /// The value, if the cell is filled.
        pub(crate) fn get(&self) -> Option<&T> {
            match *lock(&self.state) {
                State::Done => self.value.get(),
                State::Empty | State::Running => None,
            }
        }

        /// The value, filling the cell with `init()` first if it is empty;
        /// while another thread runs its initialiser, wait for it.
        pub(crate) fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
            let mut state = lock(&self.state);
            while *state == State::Running {
                state = self
                    .done
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            if *state == State::Done {
                // Filled: `init` is not called.
                return self.value.get_or_init(init);
            }
            *state = State::Running;
            drop(state);
            let _finish = Finish(self);
            self.value.get_or_init(init)
        }
    }
}
