//! [`Gate`]: the stages of a multi-wave batch opened one after the other,
//! and the pool workers' wait for the next one.

use crate::sync::{self, AtomicUsize, CachePadded, Condvar, Mutex, Ordering};

/// `opened` once the gate is shut: every wait returns false.
const SHUT: usize = usize::MAX;

/// Stages (the waves of a batch) opened in order by one thread, waited
/// for by the others ([`crate::Scheduler::run_graphs_alongside_local`]):
/// the pool workers stay in the batch from wave to wave, waiting here
/// between two waves, instead of going back to the pool and being woken
/// for each wave (a futex wake-up apiece, 40–130 µs each on a 16-core VM).
///
/// A waiter spins, then yields, within the crate's back-off budget (the
/// next wave normally opens within a transaction's time of the last one's
/// end), then parks on a condvar. The opener stores the new count and then
/// takes the lock to see whether anyone parked; a waiter checks the count
/// and registers as parked under that lock, so an opening cannot fall
/// between its check and its sleep (the loom model `gate_no_lost_wakeup`
/// checks that hand-off).
pub struct Gate {
    /// Stages opened so far (stage `k` is open once this exceeds `k`), or
    /// [`SHUT`].
    opened: CachePadded<AtomicUsize>,
    /// Waiters parked on `wake` (only touched under the lock).
    parked: Mutex<usize>,
    wake: Condvar,
}

impl Default for Gate {
    fn default() -> Self {
        Self::new()
    }
}

impl Gate {
    /// A gate with no stage open.
    pub fn new() -> Self {
        Self {
            opened: CachePadded::new(AtomicUsize::new(0)),
            parked: Mutex::new(0),
            wake: Condvar::new(),
        }
    }

    /// Open stage `k` (and every one before it). The Release store makes
    /// everything the opener saw before it visible to the waiters it lets
    /// through.
    pub fn open(&self, k: usize) {
        self.set(k.saturating_add(1).min(SHUT - 1));
    }

    /// Shut the gate: every wait, now and later, returns false (a worker
    /// stopped the batch, or the opener left it).
    pub fn shut(&self) {
        self.set(SHUT);
    }

    fn set(&self, opened: usize) {
        #[cfg(not(baton_loom_broken))]
        {
            self.opened.store(opened, Ordering::Release);
            // Taken even when nobody parked: orders this store against a
            // waiter's check under the lock.
            let parked = *sync::lock(&self.parked);
            if parked > 0 {
                self.wake.notify_all();
            }
        }
        // Deliberately broken variant for the loom suite: the parked count
        // is read before the store, so a waiter can check the old count,
        // park, and never be woken (a lost wake-up, a deadlock for loom).
        #[cfg(baton_loom_broken)]
        {
            let parked = *sync::lock(&self.parked);
            self.opened.store(opened, Ordering::Release);
            if parked > 0 {
                self.wake.notify_all();
            }
        }
    }

    /// Whether stage `k` is open (`Some(true)`), the gate shut
    /// (`Some(false)`), or neither yet (`None`).
    #[inline]
    fn state(&self, k: usize) -> Option<bool> {
        match self.opened.load(Ordering::Acquire) {
            SHUT => Some(false),
            o if o > k => Some(true),
            _ => None,
        }
    }

    /// Wait until stage `k` is open (true) or the gate is shut (false):
    /// spin, then yield, within the back-off's budget, then park.
    pub fn wait(&self, k: usize) -> bool {
        let mut backoff = sync::Backoff::new();
        loop {
            if let Some(open) = self.state(k) {
                return open;
            }
            if !backoff.snooze() {
                return self.park(k);
            }
        }
    }

    fn park(&self, k: usize) -> bool {
        let mut parked = sync::lock(&self.parked);
        loop {
            if let Some(open) = self.state(k) {
                return open;
            }
            *parked += 1;
            parked = self
                .wake
                .wait(parked)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *parked -= 1;
        }
    }
}

/// Shuts a [`Gate`] when dropped: the opener holds one, so that workers
/// waiting for a stage that will never open (the opener's callback
/// panicked) return instead of waiting forever.
pub struct ShutOnDrop<'a>(pub &'a Gate);

impl Drop for ShutOnDrop<'_> {
    fn drop(&mut self) {
        // Under loom a panic ends the whole model execution (see
        // `StopOnUnwind`); the opener then never needs to release anyone.
        if cfg!(baton_loom) && std::thread::panicking() {
            return;
        }
        self.0.shut();
    }
}
