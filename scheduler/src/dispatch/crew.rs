//! [`Crew`]: the pool workers of one batch still inside it, and the wait
//! for them to leave.

use crate::sync::{self, AtomicUsize, CachePadded, Condvar, Mutex, Ordering};

/// The pool workers of one batch that are still inside it, for a caller
/// that works beside them and must not return before they have
/// ([`crate::Scheduler::run_graph_alongside`]).
///
/// The caller waits with the crate's bounded back-off (spin, then yield,
/// within 50 µs; see the crate docs, "Waiting and contention") — the
/// helpers normally leave within a transaction of it, and sleeping at once
/// would cost a wake-up per wave — and then parks on a condvar. The last
/// helper to leave takes the crew's lock and wakes a parked caller; the
/// caller checks the count and registers as parked under that same lock,
/// so the wake-up cannot fall between its check and its sleep (the loom
/// model `crew_park_no_lost_wakeup` checks exactly that hand-off).
pub struct Crew {
    inside: CachePadded<AtomicUsize>,
    /// Whether the caller is parked on `wake` (only touched under the lock).
    parked: Mutex<bool>,
    wake: Condvar,
}

/// One helper's membership of a [`Crew`]: it leaves when this is dropped,
/// also while unwinding.
pub struct CrewMember<'a>(&'a Crew);

impl Crew {
    /// A crew of `helpers` workers, all counted as inside.
    pub fn new(helpers: usize) -> Self {
        Self {
            inside: CachePadded::new(AtomicUsize::new(helpers)),
            parked: Mutex::new(false),
            wake: Condvar::new(),
        }
    }

    /// The membership of one of the helpers counted at creation; call it
    /// once per helper, at the start of its work.
    pub fn member(&self) -> CrewMember<'_> {
        CrewMember(self)
    }

    /// Wait until every helper has left: spin, then yield, within the
    /// back-off's budget, then park until the last helper's wake-up.
    /// Returns whether it had to park (a helper took longer than the
    /// budget to leave).
    pub fn wait_all_left(&self) -> bool {
        let mut backoff = sync::Backoff::new();
        while self.inside.load(Ordering::Acquire) != 0 {
            if !backoff.snooze() {
                self.park();
                return true;
            }
        }
        false
    }

    /// Sleep until `inside` is zero.
    fn park(&self) {
        #[cfg(not(baton_loom_broken))]
        {
            let mut parked = sync::lock(&self.parked);
            // Checked under the lock that the last helper takes after its
            // decrement: either it has decremented before we locked (and we
            // see zero here), or it will lock after we start waiting, see
            // `parked` and wake us.
            while self.inside.load(Ordering::Acquire) != 0 {
                *parked = true;
                parked = self
                    .wake
                    .wait(parked)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            *parked = false;
        }
        // Deliberately broken variant for the loom suite: the count is
        // checked before the lock is taken, so the last helper can leave and
        // look for a parked caller (finding none) between the check and the
        // wait, and the caller then sleeps forever — a lost wake-up, which
        // loom must report as a deadlock.
        #[cfg(baton_loom_broken)]
        {
            if self.inside.load(Ordering::Acquire) != 0 {
                let mut parked = sync::lock(&self.parked);
                *parked = true;
                let mut parked = self
                    .wake
                    .wait(parked)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                *parked = false;
            }
        }
    }
}

impl Drop for CrewMember<'_> {
    fn drop(&mut self) {
        let crew = self.0;
        if crew.inside.fetch_sub(1, Ordering::AcqRel) == 1 {
            // The last one out: wake the caller if it parked. Taking the
            // lock even when it did not orders this leave against its check.
            let parked = *sync::lock(&crew.parked);
            if parked {
                crew.wake.notify_one();
            }
        }
    }
}
