//! The CPU time the timed batches take: what the threads of a run spent
//! on a core, as opposed to its wall-clock time. A run on two threads whose
//! cores stay busy throughout but which is slower than two one-thread runs
//! side by side spends more CPU per transaction (lines its threads hand
//! each other, the parallel path's own work); one that waits leaves its
//! cores idle instead. Read from the kernel's per-thread run time
//! (`/proc/.../schedstat`, in nanoseconds), so Linux only: elsewhere there
//! is no figure.

use std::time::Duration;

/// Whose CPU time to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scope {
    /// Every thread of the process: a run whose runtime has pool threads.
    Process,
    /// The calling thread: a one-thread runtime, which runs every batch on
    /// the thread that calls it (one side of a pair).
    Thread,
}

/// The CPU time `scope` has used so far; `None` where the kernel does not
/// say (not Linux, or `/proc` unreadable).
pub(super) fn used(scope: Scope) -> Option<Duration> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let ns = match scope {
        Scope::Thread => {
            run_time_ns(&std::fs::read_to_string("/proc/thread-self/schedstat").ok()?)?
        }
        Scope::Process => {
            let mut sum = 0u64;
            for task in std::fs::read_dir("/proc/self/task").ok()? {
                // A thread that ends between the listing and the read has
                // nothing left to count.
                let path = task.ok()?.path().join("schedstat");
                if let Ok(text) = std::fs::read_to_string(path) {
                    sum = sum.saturating_add(run_time_ns(&text)?);
                }
            }
            sum
        }
    };
    Some(Duration::from_nanos(ns))
}

/// The first field of a `schedstat` line (`run_ns wait_ns slices`): the
/// nanoseconds the thread has run.
fn run_time_ns(schedstat: &str) -> Option<u64> {
    schedstat.split_whitespace().next()?.parse().ok()
}

/// CPU time per transaction, `None` without a figure or transactions.
pub(super) fn per_tx(cpu: Option<Duration>, txs: usize) -> Option<Duration> {
    let txs = u32::try_from(txs).ok().filter(|&n| n > 0)?;
    cpu.map(|c| c / txs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_time_is_the_first_field() {
        assert_eq!(run_time_ns("81305441 2277 42\n"), Some(81_305_441));
        assert_eq!(run_time_ns(""), None);
        assert_eq!(run_time_ns("x 1 2"), None);
    }

    #[test]
    fn per_transaction_divides_and_refuses_nothing_to_divide() {
        let ms = Some(Duration::from_millis(3));
        assert_eq!(per_tx(ms, 3_000), Some(Duration::from_micros(1)));
        assert_eq!(per_tx(ms, 0), None);
        assert_eq!(per_tx(None, 10), None);
    }

    /// Work on this thread shows in its CPU time, and in the process's.
    #[cfg(target_os = "linux")]
    #[test]
    fn work_adds_cpu_time() {
        let before = (used(Scope::Thread), used(Scope::Process));
        let mut x = 0u64;
        for i in 0..2_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        std::hint::black_box(x);
        let after = (used(Scope::Thread), used(Scope::Process));
        match (before, after) {
            ((Some(t0), Some(p0)), (Some(t1), Some(p1))) => {
                assert!(t1 > t0, "thread: {t0:?} then {t1:?}");
                assert!(p1 > p0, "process: {p0:?} then {p1:?}");
                assert!(p1 >= t1, "the process counts this thread");
            }
            other => panic!("no CPU time on Linux: {other:?}"),
        }
    }
}
