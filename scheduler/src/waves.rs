//! A batch run as a sequence of graphs (waves), each finished before the
//! next starts, with the pool workers staying in the batch from wave to
//! wave ([`Scheduler::run_graphs_alongside_local`]).

use std::time::Instant;

use crate::contention::{self, ParallelRun};
use crate::Scheduler;
use crate::{Crew, DependencyGraph, Dispatch, Gate, ShutOnDrop};

impl Scheduler {
    /// Run `graphs` one after the other, each like
    /// [`run_graph_alongside_local`](Self::run_graph_alongside_local) runs
    /// one: `execute(&mut local, k, j)` runs transaction `j` of wave `k`,
    /// every transaction of wave `k` returns before any of wave `k + 1`
    /// starts (and everything it wrote is visible there), each thread
    /// hands its state of wave `k` to `done(local, k)` when it leaves the
    /// wave. Before joining wave `k` the calling thread does `side(k)`,
    /// after every `done(_, k − 1)` has returned (so it can take the
    /// previous wave's results while the pool starts this one). Returns
    /// once every call has returned; `upcoming(k, j)` is the prefetch hint.
    ///
    /// Unlike calling `run_graph_alongside_local` per wave, the pool
    /// workers are sent once: between two waves they wait for the next
    /// one (spin, yield, then park, within the crate's back-off budget),
    /// which the calling thread opens as soon as the last one has
    /// finished, instead of going back to the pool and being woken again
    /// (on a VM a wake-up costs tens of microseconds per worker, which at
    /// 16 threads took more time than a wave of 600 transfers).
    ///
    /// With one thread, or while parallel runs do not pay on this host
    /// ([`serial_for_now`](Self::serial_for_now)), the waves run one by
    /// one through `run_graph_alongside_local`. If `execute` panics, the
    /// batch stops at the end of that wave and the panic propagates.
    #[allow(clippy::too_many_arguments)]
    pub fn run_graphs_alongside_local<L, N, F, P, D, S>(
        &self,
        graphs: Vec<DependencyGraph>,
        new_local: N,
        execute: F,
        upcoming: P,
        done: D,
        mut side: S,
    ) where
        N: Fn() -> L + Sync,
        F: Fn(&mut L, usize, usize) + Sync,
        P: Fn(usize, usize) + Sync,
        D: Fn(L, usize) + Sync,
        S: FnMut(usize) + Send,
    {
        if self.threads() <= 1 || self.serial_for_now() {
            for (k, graph) in graphs.into_iter().enumerate() {
                let side = &mut side;
                self.run_graph_alongside_local(
                    graph,
                    &new_local,
                    |l: &mut L, j| execute(l, k, j),
                    |j| upcoming(k, j),
                    |l| done(l, k),
                    move || side(k),
                );
            }
            return;
        }
        let helpers = self.threads() - 1;
        let dispatches: Vec<Dispatch> = graphs
            .into_iter()
            .map(|g| Dispatch::new(g, self.threads()))
            .collect();
        let crews: Vec<Crew> = dispatches.iter().map(|_| Crew::new(helpers)).collect();
        let gate = Gate::new();
        let waves = dispatches.len();
        let helper = || {
            for (k, (dispatch, crew)) in dispatches.iter().zip(&crews).enumerate() {
                if !gate.wait(k) {
                    return;
                }
                // Leaves the crew after `done`, also when unwinding.
                let _member = crew.member();
                let mut local = new_local();
                dispatch.work_with_local(&mut local, &|l: &mut L, j| execute(l, k, j), &|j| {
                    upcoming(k, j)
                });
                done(local, k);
            }
        };
        self.pool().in_place_scope(|scope| {
            for _ in 0..helpers {
                scope.spawn(|_| helper());
            }
            // Helpers still waiting at the gate leave when this drops:
            // after the last wave, or when this thread unwinds.
            let _shut = ShutOnDrop(&gate);
            for (k, dispatch) in dispatches.iter().enumerate() {
                let started = Instant::now();
                gate.open(k);
                if let Some(previous) = k.checked_sub(1).and_then(|p| crews.get(p)) {
                    previous.wait_all_left();
                }
                side(k);
                let joined = Instant::now();
                let mut local = new_local();
                let effort =
                    dispatch.work_measured(&mut local, &|l: &mut L, j| execute(l, k, j), &|j| {
                        upcoming(k, j)
                    });
                let ran_dry = Instant::now();
                done(local, k);
                if dispatch.stopped() {
                    // A worker's callback panicked: no later wave runs, and
                    // the scope re-raises the panic once the helpers left.
                    return;
                }
                if self.falls_back() {
                    let run = ParallelRun {
                        len: dispatch.graph().len(),
                        total: started.elapsed(),
                        side: joined - started,
                        executed: effort.executed,
                        busy: (ran_dry - joined).saturating_sub(effort.idle),
                    };
                    contention::HOST.record_parallel(contention::now_ns(), run);
                }
            }
            // The last wave's states are handed before this returns.
            if let Some(last) = crews.get(waves.saturating_sub(1)) {
                last.wait_all_left();
            }
        });
        for dispatch in dispatches {
            self.recycle(dispatch.into_graph());
        }
    }
}

#[cfg(all(test, not(baton_loom)))]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    use super::*;
    use crate::LockSet;
    use baton_types::Pubkey;

    /// Waves of random conflicting transactions, each transaction writing
    /// a shared log: every wave's transactions run after all of the
    /// previous wave's, conflicting ones in order, each exactly once; the
    /// side work of wave k sees every thread's state of wave k − 1.
    #[test]
    fn waves_run_in_order_with_side_work_between() {
        let key = |n: u64| Pubkey::new_from_u64(n);
        for threads in [1, 2, 4, 8] {
            let s = match Scheduler::new(threads) {
                Ok(s) => s.with_serial_fallback(false),
                Err(e) => panic!("pool: {e}"),
            };
            let sizes = [1usize, 40, 3, 200, 0, 77];
            let locks: Vec<Vec<LockSet>> = sizes
                .iter()
                .enumerate()
                .map(|(k, &n)| {
                    (0..n as u64)
                        .map(|j| {
                            let w = key((j * 7 + k as u64) % 5);
                            let r = key(10 + (j * 3) % 4);
                            LockSet::from_keys(&[w], &[r])
                        })
                        .collect()
                })
                .collect();
            let graphs: Vec<DependencyGraph> = locks
                .iter()
                .map(|l| DependencyGraph::build(l).unwrap_or_else(|e| panic!("{e}")))
                .collect();
            let log = Mutex::new(Vec::new());
            let handed = Mutex::new(vec![0usize; sizes.len()]);
            let sides = AtomicUsize::new(0);
            s.run_graphs_alongside_local(
                graphs,
                || 0usize,
                |count: &mut usize, k, j| {
                    *count += 1;
                    log.lock().unwrap_or_else(|e| e.into_inner()).push((k, j));
                },
                |_, _| {},
                |count, k| handed.lock().unwrap_or_else(|e| e.into_inner())[k] += count,
                |k| {
                    if k > 0 {
                        let h = handed.lock().unwrap_or_else(|e| e.into_inner());
                        assert_eq!(h[k - 1], sizes[k - 1], "wave {} fully handed", k - 1);
                    }
                    sides.fetch_add(1, Ordering::Relaxed);
                },
            );
            let log = log.into_inner().unwrap_or_else(|e| e.into_inner());
            assert_eq!(log.len(), sizes.iter().sum::<usize>(), "{threads} threads");
            assert_eq!(sides.load(Ordering::Relaxed), sizes.len());
            // Waves in order.
            assert!(
                log.windows(2).all(|w| w[0].0 <= w[1].0),
                "{threads} threads"
            );
            // Each transaction once, conflicting ones in order.
            for (k, l) in locks.iter().enumerate() {
                let order: Vec<usize> = log.iter().filter(|e| e.0 == k).map(|e| e.1).collect();
                let mut sorted = order.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..l.len()).collect::<Vec<_>>());
                let at = |j: usize| order.iter().position(|&x| x == j);
                for a in 0..l.len() {
                    for b in a + 1..l.len() {
                        if l[a].conflicts_with(&l[b]) {
                            assert!(at(a) < at(b), "wave {k}: {a} before {b}");
                        }
                    }
                }
            }
        }
    }
}
