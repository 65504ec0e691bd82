//! Models of a batch run as a sequence of waves with the pool workers
//! staying in it ([`baton_scheduler::Gate`], and the loop of
//! `Scheduler::run_graphs_alongside_local` around it).

// Model code is test code: a failed join is a failed model.
#![allow(clippy::expect_used)]

use std::sync::atomic::Ordering::{Relaxed, SeqCst};

use baton_scheduler::{Crew, DependencyGraph, Dispatch, Gate, ShutOnDrop};
use loom::sync::atomic::AtomicUsize;
use loom::sync::Arc;
use loom::thread;

use crate::models::{builder, locks, Occupancy};

/// **The gate's hand-off, parked waiters included.**
///
/// Two waiters, for stages 0 and 1; the opener writes a value with a
/// *relaxed* store before opening each stage. Under loom a waiter parks
/// at once (no spin budget), so every interleaving of its check, its park
/// and the opening is explored. Checks: both waiters return true (a lost
/// wake-up is a deadlock for loom), and each sees the value written
/// before its stage opened (the Release store / Acquire load of the
/// count carries it).
pub fn gate_no_lost_wakeup() {
    builder().check(|| {
        let gate = Arc::new(Gate::new());
        let written = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let waiters: Vec<_> = (0..2usize)
            .map(|k| {
                let (gate, written) = (gate.clone(), written.clone());
                thread::spawn(move || {
                    assert!(gate.wait(k), "stage {k} not opened");
                    assert_eq!(
                        written[k].load(Relaxed),
                        1,
                        "missed the write before stage {k}"
                    );
                })
            })
            .collect();
        for (k, w) in written.iter().enumerate() {
            w.store(1, Relaxed);
            gate.open(k);
        }
        for w in waiters {
            w.join().expect("waiter panicked");
        }
    });
}

/// **Shutting the gate releases a waiter whose stage never opens.**
///
/// A waiter for stage 1 while the opener opens stage 0 and then shuts
/// the gate (through [`ShutOnDrop`], as the scheduler's caller does when it
/// leaves the batch): the waiter returns false in every interleaving.
pub fn gate_shut_releases_waiter() {
    builder().check(|| {
        let gate = Arc::new(Gate::new());
        let waiter = {
            let gate = gate.clone();
            thread::spawn(move || gate.wait(1))
        };
        {
            let _shut = ShutOnDrop(&gate);
            gate.open(0);
        }
        assert!(
            !waiter.join().expect("waiter panicked"),
            "a shut gate let it through"
        );
    });
}

/// **Two waves, one helper staying for both.**
///
/// Wave 0: `w0(A), r1(A)`; wave 1: `w0(A), w1(B)` — the second wave's
/// first transaction writes what the first wave's read. The calling
/// thread and one helper run them as `run_graphs_alongside_local` does:
/// the caller opens each wave, waits for the helper to have left the
/// previous one (its "side work"), then joins; the helper waits at the
/// gate, joins its crew for the wave, works, leaves. Checks: no
/// transaction of wave 1 overlaps one of wave 0 (one occupancy across
/// both waves), each runs once, and when the caller starts wave 1's side
/// work the helper's count of wave 0 is in.
pub fn waves_helper_stays_between_waves() {
    builder().check(|| {
        let batches = [
            vec![locks(&[0], &[]), locks(&[], &[0])],
            vec![locks(&[0], &[]), locks(&[1], &[])],
        ];
        // Transactions numbered across waves for one occupancy record.
        let occ = Arc::new(Occupancy::new(
            batches.iter().flatten().cloned().collect(),
            2,
        ));
        let offsets = [0usize, batches[0].len()];
        let dispatches: Arc<Vec<Dispatch>> = Arc::new(
            batches
                .iter()
                .map(|b| Dispatch::new(DependencyGraph::build(b).expect("tiny batch"), 2))
                .collect(),
        );
        let crews = Arc::new([Crew::new(1), Crew::new(1)]);
        let helper_ran = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let gate = Arc::new(Gate::new());
        let helper = {
            let (d, crews, gate, occ, ran) = (
                dispatches.clone(),
                crews.clone(),
                gate.clone(),
                occ.clone(),
                helper_ran.clone(),
            );
            thread::spawn(move || {
                for k in 0..2 {
                    if !gate.wait(k) {
                        return;
                    }
                    let _member = crews[k].member();
                    d[k].work(&|j| occ.execute(offsets[k] + j));
                    ran[k].store(1, Relaxed);
                }
            })
        };
        {
            let _shut = ShutOnDrop(&gate);
            for k in 0..2 {
                gate.open(k);
                if k == 1 {
                    crews[0].wait_all_left();
                    assert_eq!(helper_ran[0].load(Relaxed), 1, "the helper's wave 0 not in");
                }
                dispatches[k].work(&|j| occ.execute(offsets[k] + j));
            }
            crews[1].wait_all_left();
        }
        helper.join().expect("helper panicked");
        occ.assert_all_ran_once();
        assert_eq!(helper_ran[1].load(SeqCst), 1);
    });
}
