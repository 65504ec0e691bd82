//! The CPU time the timed batches take: what the threads of a run spent
//! on a core, as opposed to its wall-clock time. A run on two threads whose
//! cores stay busy throughout but which is slower than two one-thread runs
//! side by side spends more CPU per transaction (lines its threads hand
//! each other, the parallel path's own work); one that waits leaves its
//! cores idle instead. Read from the kernel's CPU-time clock of each thread
//! (`clock_gettime`), which counts a thread's time up to the moment of the
//! call even while the thread is running — the `/proc/.../schedstat`
//! counters lag a running thread by up to a scheduler tick, as long as a
//! short batch takes — so Linux only: elsewhere there is no figure.

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
    #[cfg(target_os = "linux")]
    return clocks::used(scope);
    #[cfg(not(target_os = "linux"))]
    {
        let _ = scope;
        None
    }
}

#[cfg(target_os = "linux")]
mod clocks {
    use std::time::Duration;

    use nix::time::ClockId;

    use super::Scope;

    pub(super) fn used(scope: Scope) -> Option<Duration> {
        let ns = match scope {
            Scope::Thread => ns_of(ClockId::CLOCK_THREAD_CPUTIME_ID)?,
            Scope::Process => {
                let mut sum = 0u64;
                for task in std::fs::read_dir("/proc/self/task").ok()? {
                    let tid = task.ok()?.file_name().to_str()?.parse().ok()?;
                    // A thread that ends between the listing and the read
                    // has nothing left to count.
                    if let Some(ns) = ns_of(thread_clock(tid)) {
                        sum = sum.saturating_add(ns);
                    }
                }
                sum
            }
        };
        Some(Duration::from_nanos(ns))
    }

    /// The CPU-time clock of thread `tid` of this process, as the kernel
    /// numbers it (what glibc's `pthread_getcpuclockid` gives): the
    /// complement of the id past three bits, then the per-thread flag (4)
    /// and the scheduler's clock (2).
    pub(super) fn thread_clock(tid: i32) -> ClockId {
        ClockId::from_raw((!tid << 3) | 6)
    }

    /// `clock`'s time in nanoseconds, `None` if it cannot be read.
    pub(super) fn ns_of(clock: ClockId) -> Option<u64> {
        let t = clock.now().ok()?;
        let secs = u64::try_from(t.tv_sec()).ok()?;
        let nanos = u64::try_from(t.tv_nsec()).ok()?;
        secs.checked_mul(1_000_000_000)?.checked_add(nanos)
    }
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

    /// A few microseconds of work show in the thread's CPU time at once:
    /// its clock is read up to the moment of the call, where the kernel's
    /// `schedstat` counters would still say what they said at the last
    /// tick.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_short_stretch_of_work_is_counted() {
        for _ in 0..20 {
            let before = used(Scope::Thread);
            let mut x = 0u64;
            for i in 0..20_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            std::hint::black_box(x);
            match (before, used(Scope::Thread)) {
                (Some(a), Some(b)) => assert!(b > a, "{a:?} then {b:?}"),
                other => panic!("no CPU time on Linux: {other:?}"),
            }
        }
    }

    /// The clock of another thread of the process counts that thread's
    /// work, up to the moment it is read.
    #[cfg(target_os = "linux")]
    #[test]
    fn another_threads_clock_is_its_own() {
        let (report, reported) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let worker = std::thread::spawn(move || {
            let mut x = 0u64;
            for i in 0..3_000_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
            std::hint::black_box(x);
            let tid: Option<i32> = std::fs::read_link("/proc/thread-self")
                .ok()
                .and_then(|p| p.file_name()?.to_str()?.parse().ok());
            let _ = report.send((tid, used(Scope::Thread)));
            // Alive (asleep) until the other thread has read its clock.
            let _ = released.recv();
        });
        let (tid, own) = reported.recv().unwrap_or((None, None));
        let seen = tid.and_then(|t| clocks::ns_of(clocks::thread_clock(t)));
        let _ = release.send(());
        let _ = worker.join();
        let (Some(own), Some(seen)) = (own, seen) else {
            panic!("no clock for the worker ({tid:?})");
        };
        let seen = Duration::from_nanos(seen);
        // Read after the worker's own reading and before it ran again: at
        // least what it saw there, and not much more.
        assert!(seen >= own, "{seen:?} < {own:?}");
        assert!(
            seen - own < Duration::from_millis(50),
            "{seen:?} against {own:?}"
        );
    }
}
