//! Whether running a batch in parallel pays on this host right now.
//!
//! A parallel run is only as fast as its slowest thread: a wave ends when
//! its last transaction has, so a pool thread that the host does not give a
//! core to (another process runs there for a time slice, milliseconds)
//! stalls the whole wave, while the calling thread alone would have kept
//! going. On a quiet machine that never happens; beside CPU-bound processes
//! it happens every few waves, and two threads then ran at half the speed
//! of one.
//!
//! So the scheduler's calling thread measures each parallel run it takes
//! part in (a chain run beside the side work included) — the run's wall
//! time, its own side work, how many transactions it ran and how long it
//! was busy — and compares the run with what running the same
//! transactions serially would have cost: the side work plus the
//! batch at the caller's own cost per transaction (the lowest recently
//! seen, so a sample inflated by a preemption of the caller does not make
//! the serial estimate look worse than it is). The difference, positive
//! when parallel lost, goes into a running *debt*, floored at a credit: as
//! much as one stall costs, so that a lone preemption of a helper (the
//! host's scheduler running something else on its core for a time slice)
//! is paid from what the runs before it gained, and no more, so that a long
//! quiet phase does not hide a contended one. When the debt passes a
//! limit, parallel runs stop for a *window* and every batch runs on the
//! calling thread alone, with the pool asleep and no linger. After the
//! window, parallel runs resume as a probe; each window
//! that follows too soon is four times the last (8, 32, 128, then 512 ms at
//! most), and each stretch of parallel running as long as the last window
//! without a new one brings the size back a step. A stall behind a
//! descheduled thread costs a time slice or more of the host's scheduler
//! (0.5–8 ms measured beside two CPU-bound processes on the project's VM,
//! more when other processes want the cores too), so under lasting
//! contention the probes cost about 1–3% of a 512 ms window.
//!
//! The record is one per process: contention is a property of the host,
//! and a runtime made afresh (a benchmark's every run, a test) should not
//! relearn it. It holds only hints, read and written with relaxed atomics:
//! any value, stale or torn between its fields, only chooses between two
//! schedules that both give the serial result.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::sync::{StdAtomicI64, StdAtomicU64, StdOrdering};

/// Debt (ns of parallel time beyond the serial estimate) that ends parallel
/// runs for a window: a stall of one wave behind a descheduled thread.
const DEBT_LIMIT_NS: i64 = 500_000;

/// The floor of the debt: how much time parallel runs may bank against a
/// later stall. A lone preemption of a helper costs a time slice of the
/// host's scheduler: on the project's 2-core VM, with nothing else running,
/// stalls that lost 0.4–3.2 ms against the serial estimate came 1–11
/// times (median 4) per `baton bench --threads 2 --repeat 5` run (about a
/// second of parallel batches), and with a credit of 0.5 ms each opened a
/// serial window. Beside CPU-bound processes the stalls come every few
/// waves and use the credit up in two or three.
const CREDIT_NS: i64 = 4_000_000;

/// The first serial window.
const FIRST_WINDOW: Duration = Duration::from_millis(8);

/// The longest serial window: how long a host that has become quiet again
/// may wait for parallel runs to resume.
const MAX_WINDOW: Duration = Duration::from_millis(512);

/// Steps of the window at most (each four times the last: 8, 32, 128,
/// then [`MAX_WINDOW`], 512 ms).
const MAX_LEVEL: u64 = 3;

/// The serial window at `level`.
fn window(level: u64) -> u64 {
    (ns(FIRST_WINDOW) << (2 * level.min(MAX_LEVEL))).min(ns(MAX_WINDOW))
}

/// A run whose caller ran fewer transactions than this says too little
/// about the cost of one.
const MIN_SAMPLE: usize = 4;

/// Fixed-point scale of the per-transaction estimate.
const SCALE: u64 = 16;

/// One parallel run as its calling thread saw it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ParallelRun {
    /// Transactions in the batch.
    pub(crate) len: usize,
    /// From before the helpers were sent to after the last one left.
    pub(crate) total: Duration,
    /// The caller's side work (zero when it had none).
    pub(crate) side: Duration,
    /// Transactions the caller ran itself.
    pub(crate) executed: usize,
    /// The caller's time running them (its time in the batch less its
    /// waits).
    pub(crate) busy: Duration,
}

/// The record; see the module docs.
pub(crate) struct Contention {
    /// Nanoseconds since [`epoch`] until which batches run serially.
    serial_until: StdAtomicU64,
    /// Parallel time beyond the serial estimate, in ns, floored at
    /// `-CREDIT_NS`.
    debt: StdAtomicI64,
    /// Step of the next window (see [`window`]).
    level: StdAtomicU64,
    /// When the last window ended, or the level last stepped down (ns
    /// since [`epoch`]).
    calm_since: StdAtomicU64,
    /// Lowest recent cost of one transaction on the calling thread, ns ×
    /// [`SCALE`]; 0 until the first sample.
    per_tx: StdAtomicU64,
}

/// The process's record.
pub(crate) static HOST: Contention = Contention::new();

/// Whether any scheduler of this process may fall back (see
/// [`crate::set_serial_fallback`]).
static FALLBACK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Allow or forbid the serial fallback for every scheduler of this process.
///
/// For tests of the parallel path in code that builds its scheduler inside
/// (say, a runtime made with a thread count): with the fallback off, every
/// batch that can run in parallel does, whatever the host's load. A
/// scheduler's own [`crate::Scheduler::with_serial_fallback`] can only
/// narrow this. Results are the same either way.
pub fn set_serial_fallback(on: bool) {
    FALLBACK.store(on, StdOrdering::Relaxed);
}

/// Run every batch of this process's schedulers serially, on its calling
/// thread, for the next `d` (or until a window already open ends, if
/// later), as if parallel runs had just lost to serial ones: for an
/// embedder that knows its cores are about to be taken (by its own other
/// threads, say) and for tests of the serial path. Results are the same
/// either way. Does nothing while the fallback is off
/// ([`set_serial_fallback`], [`crate::Scheduler::with_serial_fallback`]).
pub fn hold_serial_for(d: std::time::Duration) {
    HOST.hold_until(now_ns().saturating_add(ns(d)));
}

/// See [`set_serial_fallback`].
#[inline]
pub(crate) fn fallback_allowed() -> bool {
    FALLBACK.load(StdOrdering::Relaxed)
}

/// The process's clock origin for [`Contention`]'s instants.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since [`epoch`] (at least 1, so that 0 can mean "never").
pub(crate) fn now_ns() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos())
        .unwrap_or(u64::MAX)
        .max(1)
}

fn ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Contention {
    /// A record that knows nothing yet: parallel runs allowed.
    pub(crate) const fn new() -> Self {
        Self {
            serial_until: StdAtomicU64::new(0),
            debt: StdAtomicI64::new(0),
            level: StdAtomicU64::new(0),
            calm_since: StdAtomicU64::new(0),
            per_tx: StdAtomicU64::new(0),
        }
    }

    /// Whether a batch starting at `now` (see [`now_ns`]) should run on the
    /// calling thread alone.
    #[inline]
    pub(crate) fn serial_at(&self, now: u64) -> bool {
        now < self.serial_until.load(StdOrdering::Relaxed)
    }

    /// Run batches serially until `until` at least (see
    /// [`hold_serial_for`]).
    fn hold_until(&self, until: u64) {
        self.serial_until.fetch_max(until, StdOrdering::Relaxed);
    }

    /// Take a per-transaction cost sample (ns × [`SCALE`]) into the
    /// estimate: a lower one at once, a higher one an eighth of the way.
    /// Returns the new estimate.
    fn take_sample(&self, sample: u64) -> u64 {
        let old = self.per_tx.load(StdOrdering::Relaxed);
        let new = if old == 0 || sample <= old {
            sample
        } else {
            old + (sample - old) / 8
        };
        self.per_tx.store(new, StdOrdering::Relaxed);
        new
    }

    /// Record a serial run of `len` transactions that took `took` (the
    /// batch only, no side work): its cost per transaction is the best
    /// estimate there is of what serial runs cost now.
    pub(crate) fn record_serial(&self, len: usize, took: Duration) {
        if len >= MIN_SAMPLE {
            self.take_sample(ns(took).saturating_mul(SCALE) / len as u64);
        }
    }

    /// Record a parallel run that ended at `now`; may start a serial window.
    pub(crate) fn record_parallel(&self, now: u64, run: ParallelRun) {
        if run.executed < MIN_SAMPLE {
            // The helpers ran (nearly) everything: nothing to judge the
            // caller's cost by, and nothing suggests a stall either.
            return;
        }
        let per_tx = self.take_sample(ns(run.busy).saturating_mul(SCALE) / run.executed as u64);
        let serial = ns(run.side).saturating_add(per_tx.saturating_mul(run.len as u64) / SCALE);
        let lost = i64::try_from(ns(run.total))
            .unwrap_or(i64::MAX)
            .saturating_sub(i64::try_from(serial).unwrap_or(i64::MAX));
        let debt = self
            .debt
            .load(StdOrdering::Relaxed)
            .saturating_add(lost)
            .max(-CREDIT_NS);
        if debt > DEBT_LIMIT_NS {
            self.debt.store(0, StdOrdering::Relaxed);
            let level = self.level.load(StdOrdering::Relaxed);
            let until = now.saturating_add(window(level));
            self.level
                .store((level + 1).min(MAX_LEVEL), StdOrdering::Relaxed);
            self.serial_until.store(until, StdOrdering::Relaxed);
            self.calm_since.store(until, StdOrdering::Relaxed);
            return;
        }
        self.debt.store(debt, StdOrdering::Relaxed);
        let level = self.level.load(StdOrdering::Relaxed);
        let calm = self.calm_since.load(StdOrdering::Relaxed);
        if level > 0 && now.saturating_sub(calm) >= window(level - 1) {
            // Parallel runs went on as long as the last window without
            // opening another: the next one may be shorter.
            self.level.store(level - 1, StdOrdering::Relaxed);
            self.calm_since.store(now, StdOrdering::Relaxed);
        }
    }
}

#[cfg(all(test, not(baton_loom)))]
mod tests {
    use super::*;

    const US: u64 = 1_000;

    fn run(len: usize, total_us: u64, side_us: u64, executed: usize, busy_us: u64) -> ParallelRun {
        ParallelRun {
            len,
            total: Duration::from_micros(total_us),
            side: Duration::from_micros(side_us),
            executed,
            busy: Duration::from_micros(busy_us),
        }
    }

    /// Waves of 1,000 at 0.5 µs a transaction: the caller runs half in
    /// 250 µs, the wave takes 260 µs against a serial 100 + 500.
    fn good() -> ParallelRun {
        run(1000, 260, 100, 500, 250)
    }

    /// The same wave behind a helper descheduled for 3 ms.
    fn stalled() -> ParallelRun {
        run(1000, 3_260, 100, 900, 450)
    }

    #[test]
    fn paying_runs_never_open_a_window() {
        let c = Contention::new();
        let mut now = 1;
        for _ in 0..1000 {
            c.record_parallel(now, good());
            now += 300 * US;
            assert!(!c.serial_at(now));
        }
        assert_eq!(c.debt.load(StdOrdering::Relaxed), -CREDIT_NS);
    }

    /// Paying runs every 300 µs from `now` until the credit is full (each
    /// gains 340 µs: 260 against a serial 100 + 1000 × 0.5); returns the
    /// time after them.
    fn bank(c: &Contention, mut now: u64) -> u64 {
        while c.debt.load(StdOrdering::Relaxed) > -CREDIT_NS {
            c.record_parallel(now, good());
            now += 300 * US;
        }
        now
    }

    #[test]
    fn a_small_loss_is_absorbed_by_the_credit() {
        let c = Contention::new();
        let now = bank(&c, 1);
        // 300 µs lost (900 against 600): the credit takes it.
        c.record_parallel(now, run(1000, 900, 100, 500, 250));
        assert!(!c.serial_at(now + 1));
        assert_eq!(
            c.debt.load(StdOrdering::Relaxed),
            -CREDIT_NS + 300 * US as i64
        );
    }

    #[test]
    fn a_lone_stall_is_paid_from_the_credit() {
        let c = Contention::new();
        let now = bank(&c, 1);
        // 3.26 ms against a serial 0.1 + 1000 × 0.5 µs (the lowest cost
        // seen): 2.66 ms lost, less than the runs before it banked.
        c.record_parallel(now, stalled());
        assert!(!c.serial_at(now + 1));
        // The paying runs after it bank the credit again.
        let now = bank(&c, now + 3_300 * US);
        c.record_parallel(now, stalled());
        assert!(!c.serial_at(now + 1));
    }

    #[test]
    fn stalls_in_a_row_open_a_serial_window() {
        let c = Contention::new();
        let mut now = bank(&c, 1);
        // Two stalls with a paying run between them: 5.32 ms lost, 0.34
        // gained, beyond the credit and the limit.
        c.record_parallel(now, stalled());
        now += 3_300 * US;
        c.record_parallel(now, good());
        now += 300 * US;
        assert!(!c.serial_at(now));
        c.record_parallel(now, stalled());
        assert!(c.serial_at(now + 1));
        assert!(c.serial_at(now + ns(FIRST_WINDOW) - 1));
        assert!(!c.serial_at(now + ns(FIRST_WINDOW)));
    }

    /// Stalled probes, each right after the window before: 8, 32, 128,
    /// then 512 ms. Returns the time the last window ends.
    fn ramp_up(c: &Contention, mut now: u64) -> (u64, Vec<u64>) {
        let mut windows = Vec::new();
        for _ in 0..6 {
            c.record_parallel(now, stalled());
            let until = c.serial_until.load(StdOrdering::Relaxed);
            windows.push((until - now) / 1_000_000);
            now = until;
        }
        (now, windows)
    }

    /// Good runs every 300 µs for `ms` milliseconds from `now`.
    fn calm(c: &Contention, mut now: u64, ms: u64) -> u64 {
        let end = now + ms * 1_000_000;
        while now < end {
            c.record_parallel(now, good());
            assert!(!c.serial_at(now));
            now += 300 * US;
        }
        now
    }

    #[test]
    fn failed_probes_grow_the_window_fourfold_up_to_the_cap() {
        let c = Contention::new();
        let (_, windows) = ramp_up(&c, 1);
        assert_eq!(windows, [8, 32, 128, 512, 512, 512]);
    }

    #[test]
    fn parallel_runs_that_last_bring_the_window_back_step_by_step() {
        // After the ramp, 130 ms of paying runs (as long as the 128 ms
        // window below the cap) bring the next window down one step.
        // (Two stalls each time: the calm runs have filled the credit.)
        let c = Contention::new();
        let (now, _) = ramp_up(&c, 1);
        let now = calm(&c, now, 130);
        c.record_parallel(now, stalled());
        c.record_parallel(now, stalled());
        assert_eq!(c.serial_until.load(StdOrdering::Relaxed) - now, window(2));
        // 128 + 32 + 8 ms of them bring it back to the first size.
        let c = Contention::new();
        let (now, _) = ramp_up(&c, 1);
        let now = calm(&c, now, 170);
        c.record_parallel(now, stalled());
        c.record_parallel(now, stalled());
        assert_eq!(
            c.serial_until.load(StdOrdering::Relaxed) - now,
            ns(FIRST_WINDOW)
        );
    }

    #[test]
    fn a_preempted_caller_does_not_raise_the_estimate_much() {
        let c = Contention::new();
        c.record_serial(1000, Duration::from_micros(500));
        // The caller lost 3 ms of its busy time to another process.
        c.record_parallel(1, run(1000, 3_300, 0, 500, 3_250));
        let per_tx = c.per_tx.load(StdOrdering::Relaxed);
        // The sample was 13 times the serial cost; the estimate moved an
        // eighth of the way.
        assert!(per_tx <= 3 * 500 * SCALE, "{per_tx}");
        // That run lost against serial 0.5 ms + change: a window opens.
        assert!(c.serial_at(2));
    }

    #[test]
    fn a_hold_opens_a_window_that_only_a_later_one_extends() {
        let c = Contention::new();
        let now = 1_000;
        c.hold_until(now + 5_000_000);
        assert!(c.serial_at(now + 4_999_999));
        assert!(!c.serial_at(now + 5_000_000));
        // A shorter hold does not cut the window short.
        c.hold_until(now + 1_000);
        assert!(c.serial_at(now + 4_999_999));
    }

    #[test]
    fn tiny_samples_are_ignored() {
        let c = Contention::new();
        c.record_parallel(1, run(1000, 50_000, 0, 2, 1));
        assert!(!c.serial_at(2));
        assert_eq!(c.per_tx.load(StdOrdering::Relaxed), 0);
    }
}
