//! The time a cache line takes to go from one thread's core to another's
//! and back, measured right before a round of `--pair` runs: on a shared
//! host it moves from minute to minute (63–82 ns and 322–392 ns on the
//! project's VM within one hour), and a 2-thread run's share of the pair
//! moves with it (0.86–0.91 against 0.66–0.69 in the same minutes), since
//! every transaction the threads hand each other crosses that way while
//! two independent runs never do.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One atomic counter alone on its cache lines.
#[repr(align(128))]
struct Line(AtomicU64);

/// Round trips per measurement.
const TRIPS: u64 = 20_000;

/// How long a measurement may take at most: on a host that does not run
/// both threads at once, each trip waits for a time slice; the mean is then
/// over the trips made so far.
const LIMIT: Duration = Duration::from_millis(200);

/// Spins before a waiting side yields its core.
const SPINS: u32 = 1 << 12;

/// Wait until `line` holds `want` (spinning, then yielding), or `give_up`.
fn wait_for(line: &Line, want: u64, give_up: &dyn Fn() -> bool) -> bool {
    let mut spins = 0u32;
    while line.0.load(Ordering::Acquire) != want {
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(SPINS) {
            if give_up() {
                return false;
            }
            std::thread::yield_now();
        } else {
            spin_loop();
        }
    }
    true
}

/// The mean time, in nanoseconds, of a cache line's round trip between
/// this thread and a second one (each writes the counter the other waits
/// for).
pub(super) fn round_trip_ns() -> f64 {
    let line = Line(AtomicU64::new(0));
    let start = Instant::now();
    let over = || start.elapsed() > LIMIT;
    std::thread::scope(|s| {
        s.spawn(|| {
            // Odd values are this side's to answer; it gives up on the same
            // clock as the other side.
            let mut v = 1;
            while v < 2 * TRIPS && wait_for(&line, v, &over) {
                line.0.store(v + 1, Ordering::Release);
                v += 2;
            }
        });
        // Timed from the first answer, once both threads run.
        let mut timed: Option<(Instant, u64)> = None;
        let mut v = 0;
        while v < 2 * TRIPS {
            line.0.store(v + 1, Ordering::Release);
            v += 2;
            if !wait_for(&line, v, &over) {
                break;
            }
            match &mut timed {
                None => timed = Some((Instant::now(), 0)),
                Some((_, trips)) => *trips += 1,
            }
        }
        match timed {
            Some((from, trips)) if trips > 0 => from.elapsed().as_secs_f64() * 1e9 / trips as f64,
            // Not even two trips within the limit.
            _ => start.elapsed().as_secs_f64() * 1e9,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A round trip takes some time, and not more than a measurement's
    /// limit.
    #[test]
    fn a_round_trip_is_measured() {
        let ns = round_trip_ns();
        assert!(ns.is_finite() && ns > 0.0, "{ns}");
        assert!(ns < LIMIT.as_secs_f64() * 1e9 + 1e9, "{ns}");
    }
}
