//! Stages 2 and 3 together, in waves: the serial path (one wave, on the
//! calling thread) and the parallel one, where the calling thread admits
//! wave k+1, builds its graph and collects wave k-1 while the pool runs
//! wave k, then joins wave k as a worker.

use std::sync::OnceLock;

use baton_scheduler::Scheduler;
use baton_types::TransactionError;

use super::admit::{wave_graph, Admission, Admitted, Wave};
use super::check::{Resolved, StageOne};
use super::collect::{Outbox, TransactionResult};
use super::execute::{Executed, Execution, Finished};

/// Transactions per wave of a pipelined batch on two threads: admission and
/// graph building of one wave overlap the execution of the previous one
/// (see [`wave_size`] for more threads). Waves of 512 against 1,024
/// (build `6805eb9`, two threads, alternated batch by batch in one
/// process, medians of 6 or 10 batches a side, 9–15 rounds each):
/// `zipf-transfers` 1.026 (waves of 2,048: ~0.94, of 256: ~0.99),
/// `uniform-transfers --variant v0-alt` 1.071, the default workload ~1.01,
/// `cpi-chain` 1.008, `hot-account --hot 1` 0.995: a wave ends at a
/// barrier, which a shorter one reaches with a shorter tail (a chain of
/// conflicts, or the calling thread's side work), and the side work of a
/// shorter wave lets the calling thread join the pool sooner.
const WAVE: usize = 512;

/// The wave of a pipelined batch on `threads` threads: [`WAVE`] per two
/// threads, at most 1,024 (from four threads on: the size those thread
/// counts were measured with, on the 16-core device, before two-thread
/// waves became 512 long), so that each thread's share of a wave, and of
/// the barrier at its end, stays about the same.
fn wave_size(threads: usize) -> usize {
    (WAVE / 2 * threads).clamp(WAVE, 2 * WAVE)
}

/// The sizes of a parallel batch's first waves, before waves of `wave`.
/// Admitting a transaction and adding it to the graph takes about a quarter
/// of the time executing it does, so a wave four times the size of the one
/// executing can be admitted meanwhile; the first wave, admitted before
/// anything can run, is short. (From a first wave of 128 straight to 1,024,
/// this ramp, then 32, 128, 512, took 0.5–0.7% off a 2-thread batch.)
fn ramp(wave: usize) -> [usize; 3] {
    [wave / 32, wave / 8, wave / 2]
}

/// The bounds of a batch's waves: the [`ramp`], then waves of `wave`,
/// each from where the previous one ended (early, at a barrier).
struct Bounds {
    n: usize,
    /// Never ends (the ramp, then `wave` repeated).
    sizes: std::iter::Chain<std::array::IntoIter<usize, 3>, std::iter::Repeat<usize>>,
}

impl Bounds {
    fn new(n: usize, wave: usize) -> Self {
        Self {
            n,
            sizes: ramp(wave).into_iter().chain(std::iter::repeat(wave)),
        }
    }

    /// `(start, end)` of the wave starting at `start`, if any is left.
    fn from(&mut self, start: usize) -> Option<(usize, usize)> {
        let size = self.sizes.next().unwrap_or(self.n);
        (start < self.n).then(|| (start, self.n.min(start + size)))
    }
}

impl Wave {
    /// Run the wave's accepted transactions on the scheduler's threads while
    /// the calling thread does `side` and then helps (see
    /// [`Scheduler::run_graph_alongside`]): by the wave's graph when it has
    /// one, else in order after `side`. `prefetch(i)` is told of transaction `i` shortly
    /// before the same thread likely runs it. Returns what `side` returned.
    pub(crate) fn execute_alongside<R: Send>(
        &mut self,
        scheduler: &Scheduler,
        outbox: &Outbox,
        parity: usize,
        run_one: &(dyn Fn(&mut Finished, usize) + Sync),
        prefetch: &(dyn Fn(usize) + Sync),
        side: impl FnOnce() -> R + Send,
    ) -> R {
        let accepted = &self.accepted;
        match self.graph.take() {
            Some(graph) => scheduler.run_graph_alongside_local(
                graph,
                || outbox.list(),
                |list, j| {
                    if let Some(&i) = accepted.get(j) {
                        run_one(list, i)
                    }
                },
                |j| {
                    if let Some(&i) = accepted.get(j) {
                        prefetch(i)
                    }
                },
                |list| outbox.hand(parity, list),
                side,
            ),
            // A wave too long to index (never at this wave size) runs in
            // order, which is always valid.
            None => {
                let r = side();
                let mut list = outbox.list();
                in_order(accepted, prefetch, |i| run_one(&mut list, i));
                outbox.hand(parity, list);
                r
            }
        }
    }
}

/// Call `run(i)` for each `i` of `order`, in order, naming each one's
/// successor to `prefetch` first.
fn in_order(order: &[usize], prefetch: &dyn Fn(usize), mut run: impl FnMut(usize)) {
    for (n, &i) in order.iter().enumerate() {
        if let Some(&next) = order.get(n + 1) {
            prefetch(next);
        }
        run(i);
    }
}

/// Stages 2 and 3 on the calling thread alone: admit the batch as one
/// wave (or, past a barrier, one wave per stretch between barriers), run
/// its admitted transactions in order, the results straight into a list
/// in the same order. With `measured_by` (a scheduler of several threads
/// whose batch runs here because its host is contended) each stretch's
/// execution is timed as the yardstick for its later parallel runs.
pub(crate) fn run_serial(
    admission: &mut Admission<'_>,
    exec: &Execution<'_>,
    stage_one: &StageOne,
    measured_by: Option<&Scheduler>,
    results: &mut Vec<TransactionResult>,
) {
    let txs = exec.txs;
    let mut start = 0;
    while start < txs.len() {
        let verdicts = stage_one.of_wave(start, txs.len());
        let wave = admission.prepare(txs, start, verdicts, None, true);
        let mut executed = Vec::with_capacity(wave.accepted.len());
        let mut run = || {
            in_order(&wave.accepted, &|i| exec.prefetch(i), |i| {
                executed.push(txs.get(i).map_or_else(
                    || Executed::refused(TransactionError::CommitCancelled),
                    |tx| exec.execute(i, tx),
                ));
            });
        };
        match measured_by {
            Some(s) => s.run_serially(wave.accepted.len(), run),
            None => run(),
        }
        start = wave.end();
        let mut executed = executed.into_iter();
        admission.collect(txs, wave, |_| executed.next(), results);
    }
}

/// Stages 2 and 3 on the scheduler's threads, in waves that overlap: while
/// the pool starts on wave k, this thread admits wave k+1, builds its
/// graph, collects wave k-1, then joins wave k. A wave starts only when
/// the previous one has finished, so the batch still executes as if one
/// transaction at a time in order. After a wave that ends at a barrier,
/// the next one is admitted only once that wave has run.
pub(crate) fn run_waves(
    s: &Scheduler,
    admission: &mut Admission<'_>,
    exec: &Execution<'_>,
    outbox: &Outbox,
    stage_one: &StageOne,
    results: &mut Vec<TransactionResult>,
) {
    let txs = exec.txs;
    let run_one = |list: &mut Finished, i: usize| exec.run_one(list, i);
    let prefetch = |i: usize| exec.prefetch(i);
    let mut gathered = Vec::new();
    let mut bounds = Bounds::new(txs.len(), wave_size(s.threads()));
    let prepare = |admission: &mut Admission<'_>, (start, end), settled| {
        admission.prepare(txs, start, stage_one.of_wave(start, end), Some(s), settled)
    };
    // A short first wave: its admission cannot overlap anything.
    let mut current = bounds.from(0).map(|b| prepare(admission, b, true));
    // The finished wave and its parity.
    let mut done: Option<(Wave, usize)> = None;
    let mut parity = 0;
    while let Some(mut wave) = current.take() {
        let next = (!wave.barrier).then(|| bounds.from(wave.end())).flatten();
        let prev = done.take();
        let admission_now = &mut *admission;
        let (gathered, results) = (&mut gathered, &mut *results);
        let side = move || {
            let prepared = next.map(|b| prepare(admission_now, b, false));
            if let Some((prev, p)) = prev {
                admission_now.collect_from(outbox, p, txs, prev, gathered, results);
            }
            prepared
        };
        current = wave.execute_alongside(s, outbox, parity, &run_one, &prefetch, side);
        if wave.barrier {
            // Everything before the barrier has committed now.
            current = bounds.from(wave.end()).map(|b| prepare(admission, b, true));
        }
        done = Some((wave, parity));
        parity ^= 1;
    }
    if let Some((prev, p)) = done {
        admission.collect_from(outbox, p, txs, prev, &mut gathered, results);
    }
}

/// The thread count from which batches that can be planned are
/// ([`run_planned`]). Below it the pipelined waves ([`run_waves`]) are as
/// fast or faster: their calling thread admits the next wave (history,
/// graph: about 1,000 instructions per transfer) while the others execute
/// this one (about 5,200), so it keeps up as long as the others are fewer
/// than about five, and admitting a wave right before it runs leaves its
/// transactions in cache. Measured alternately in one process, planned
/// over pipelined, median batch of 10,000 transfers: 0.94–1.03 at 2
/// threads (dev VM), 0.97–0.99 at 4, 1.18 at 8, 1.01–1.12 at 16 (16-core
/// device VM).
pub(crate) const PLANNED_FROM_THREADS: usize = 8;

/// The smallest and largest wave of a planned batch (see [`run_planned`]).
const PLANNED_WAVES: (usize, usize) = (256, 1024);

/// The wave size of a planned batch of `n` on `threads` threads: one wave
/// per thread at least, so that all of them build graphs, but waves of
/// 1,024 at most (each ends at a barrier, which a longer one reaches less
/// often, but its graph takes longer alone; measured on the device before
/// pipelined waves became 512 long) and 256 at least.
fn planned_wave(n: usize, threads: usize) -> usize {
    n.div_ceil(threads.max(1))
        .clamp(PLANNED_WAVES.0, PLANNED_WAVES.1)
}

/// Take the resolutions of a planned wave starting at `start`: a failed
/// one refuses its transaction, the keys of the others go into their
/// transactions' slots (for the graph and execution).
fn admit_resolved(
    start: usize,
    resolved: &mut [Option<Resolved>],
    verdicts: &mut [Option<TransactionError>],
    admitted: &[OnceLock<Admitted>],
) {
    for (j, (r, verdict)) in resolved.iter_mut().zip(verdicts).enumerate() {
        match r.take() {
            Some(Ok(loaded)) => {
                if let Some(slot) = admitted.get(start + j) {
                    // Each transaction is admitted once.
                    let _ = slot.set(Admitted {
                        loaded,
                        nonce: None,
                    });
                }
            }
            Some(Err(e)) => {
                verdict.get_or_insert(e);
            }
            None => {}
        }
    }
}

/// Stages 2 and 3 of a batch whose admission reads no state but the
/// history: no durable nonces, and no lookup table that a transaction of
/// the batch may write (the lookups were resolved in stage 1, against
/// tables that do not change in the batch), on the scheduler's threads.
/// First, all at once on every thread: the batch's signatures go into the
/// history, shard by shard, and every wave's graph is built, one wave per
/// task (a wave's graph depends on its own transactions only). A graph
/// includes the transactions the history then refuses, which are skipped
/// when their turn comes: an extra node
/// only delays what conflicts with it, so the order stays a valid one.
/// Then the waves run one after the other, the calling thread collecting
/// wave k−1 while the pool starts wave k. Nothing is left to one thread
/// but the collection, which overlaps execution.
pub(crate) fn run_planned(
    s: &Scheduler,
    admission: &mut Admission<'_>,
    exec: &Execution<'_>,
    outbox: &Outbox,
    stage_one: &StageOne,
    results: &mut Vec<TransactionResult>,
) {
    use rayon::prelude::*;
    let txs = exec.txs;
    let size = planned_wave(txs.len(), s.threads());
    // Each wave with its share of stage 1's resolutions (none without
    // lookups).
    let mut resolved = admission.resolved.chunks_mut(size);
    let starts: Vec<(usize, &mut [Option<Resolved>])> = (0..txs.len())
        .step_by(size)
        .map(|start| (start, resolved.next().unwrap_or_default()))
        .collect();
    let admitted = admission.admitted.all();
    let history = admission.history.as_deref_mut();
    let pool = s.pool();
    let (seen, mut waves) = pool.install(|| {
        rayon::join(
            || match history {
                Some(h) => stage_one.insert_history(h, pool, txs),
                None => Vec::new(),
            },
            || {
                starts
                    .into_par_iter()
                    .map(|(start, resolved)| {
                        let end = txs.len().min(start + size);
                        let mut verdicts = stage_one.of_wave(start, end);
                        admit_resolved(start, resolved, &mut verdicts, admitted);
                        let accepted: Vec<usize> = (start..end)
                            .filter(|&i| verdicts[i - start].is_none())
                            .collect();
                        let graph = wave_graph(s, txs, admitted, &accepted);
                        Wave {
                            start,
                            verdicts,
                            accepted,
                            graph,
                            barrier: false,
                        }
                    })
                    .collect::<Vec<Wave>>()
            },
        )
    });
    // Already processed: refused, and skipped by the graph's walk.
    let mut skip = vec![false; if seen.is_empty() { 0 } else { txs.len() }];
    for i in seen {
        if let Some(v) = waves
            .get_mut(i / size)
            .and_then(|w| w.verdicts.get_mut(i % size))
        {
            *v = Some(TransactionError::AlreadyProcessed);
        }
        if let Some(k) = skip.get_mut(i) {
            *k = true;
        }
    }
    // The waves' batch indices, for the threads; the rest of each wave
    // (its start and verdicts) for its collection, taken once.
    let mut graphs = Vec::with_capacity(waves.len());
    let mut accepted = Vec::with_capacity(waves.len());
    let mut to_collect = Vec::with_capacity(waves.len());
    for mut w in waves {
        graphs.push(w.graph.take());
        accepted.push(std::mem::take(&mut w.accepted));
        to_collect.push(Some(w));
    }
    let last = to_collect.len().saturating_sub(1);
    let index = |k: usize, j: usize| accepted.get(k).and_then(|a| a.get(j)).copied();
    let mut gathered = Vec::new();
    let mut collect = |k: usize| {
        if let Some(wave) = to_collect.get_mut(k).and_then(Option::take) {
            admission.collect_from(outbox, k % 2, txs, wave, &mut gathered, results);
        }
    };
    match graphs.into_iter().collect::<Option<Vec<_>>>() {
        Some(graphs) => s.run_graphs_alongside_local(
            graphs,
            || outbox.list(),
            |list, k, j| {
                if let Some(i) = index(k, j).filter(|&i| !skip.get(i).copied().unwrap_or(false)) {
                    exec.run_one(list, i);
                }
            },
            |k, j| {
                if let Some(i) = index(k, j) {
                    exec.prefetch(i);
                }
            },
            |list, k| outbox.hand(k % 2, list),
            |k| {
                if let Some(previous) = k.checked_sub(1) {
                    collect(previous);
                }
            },
        ),
        // A wave too long to index (never at these sizes): all in order,
        // which is always valid.
        None => {
            for (k, wave) in accepted.iter().enumerate() {
                let mut list = outbox.list();
                for &i in wave {
                    if !skip.get(i).copied().unwrap_or(false) {
                        exec.run_one(&mut list, i);
                    }
                }
                outbox.hand(k % 2, list);
                collect(k);
            }
        }
    }
    collect(last);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The waves of a batch of `n` without barriers, waves of `wave`.
    fn wave_bounds(n: usize, wave: usize) -> Vec<(usize, usize)> {
        let mut bounds = Bounds::new(n, wave);
        let mut at = 0;
        std::iter::from_fn(|| {
            let b = bounds.from(at)?;
            at = b.1;
            Some(b)
        })
        .collect()
    }

    #[test]
    fn planned_waves_give_every_thread_one_within_bounds() {
        assert_eq!(planned_wave(10_000, 2), 1024);
        assert_eq!(planned_wave(10_000, 16), 625);
        assert_eq!(planned_wave(1_000, 2), 500);
        assert_eq!(planned_wave(300, 2), 256);
        assert_eq!(planned_wave(0, 4), 256);
        assert_eq!(planned_wave(100_000, 0), 1024);
    }

    #[test]
    fn pipelined_waves_grow_with_the_threads_up_to_1024() {
        let sizes: Vec<usize> = [0, 1, 2, 3, 4, 7, 16].map(wave_size).to_vec();
        assert_eq!(sizes, [512, 512, 512, 768, 1024, 1024, 1024]);
    }

    #[test]
    fn waves_ramp_up_and_cover_the_batch_once() {
        for wave in [512, 768, 1024] {
            let [a, b, c] = ramp(wave);
            let ends = [a, a + b, a + b + c, a + b + c + wave];
            let ns = ends.iter().flat_map(|&e| [e - 1, e, e + 1]);
            for n in [0, 1, 10_000].into_iter().chain(ns) {
                let waves = wave_bounds(n, wave);
                // Contiguous, non-empty, from 0 to n.
                let mut at = 0;
                for &(start, end) in &waves {
                    assert_eq!(start, at, "n = {n}: {waves:?}");
                    assert!(end > start, "n = {n}: {waves:?}");
                    at = end;
                }
                assert_eq!(at, n, "n = {n}: {waves:?}");
                // The ramp, then full waves; only the last may be cut short.
                let sizes: Vec<usize> = waves.iter().map(|(s, e)| e - s).collect();
                let planned = ramp(wave).into_iter().chain(std::iter::repeat(wave));
                for (k, (&size, plan)) in sizes.iter().zip(planned).enumerate() {
                    if k + 1 < sizes.len() {
                        assert_eq!(size, plan, "n = {n}: {sizes:?}");
                    } else {
                        assert!(size <= plan, "n = {n}: {sizes:?}");
                    }
                }
            }
        }
        // A batch of 10,000: the ramp, the full waves, one cut short.
        for (wave, first, count) in [
            (512, [16, 64, 256, 512], 3 + 18 + 1),
            (1024, [32, 128, 512, 1024], 3 + 9 + 1),
        ] {
            let sizes: Vec<usize> = wave_bounds(10_000, wave)
                .iter()
                .map(|(s, e)| e - s)
                .collect();
            assert_eq!(sizes[..4], first, "waves of {wave}");
            assert_eq!(sizes.len(), count, "waves of {wave}");
        }
    }
}
