//! The models. Each function runs one `loom::model` to completion and
//! panics if loom finds a failing interleaving.

// Model code is test code: a failed join or build is a failed model.
#![allow(clippy::expect_used)]

use std::sync::atomic::Ordering::{Relaxed, SeqCst};

use baton_scheduler::{Crew, DependencyGraph, Dispatch, LockMode, LockSet, ReadyQueue};
use baton_types::Pubkey;
use loom::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize};
use loom::sync::Arc;
use loom::thread;

/// Preemption bound used when `LOOM_MAX_PREEMPTIONS` is not set. Three
/// preemptions find the classic lost-update and lost-wake-up bugs and keep
/// the whole suite to seconds on two cores.
pub const DEFAULT_PREEMPTIONS: usize = 3;

/// A loom model builder with a bounded preemption count:
/// `LOOM_MAX_PREEMPTIONS` if set, else [`DEFAULT_PREEMPTIONS`].
pub fn builder() -> loom::model::Builder {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(DEFAULT_PREEMPTIONS);
    }
    b
}

/// Account `n` of a model batch.
pub fn key(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

/// A lock set from written and read account numbers.
pub fn locks(write: &[u64], read: &[u64]) -> LockSet {
    let w: Vec<Pubkey> = write.iter().map(|&n| key(n)).collect();
    let r: Vec<Pubkey> = read.iter().map(|&n| key(n)).collect();
    LockSet::from_keys(&w, &r)
}

fn account_index(k: &Pubkey) -> usize {
    k.0[0] as usize // model batches use fewer than 256 accounts
}

/// Bit marking a writer in an [`Occupancy`] counter; the low bits count readers.
const WRITER: usize = 1 << 20;

/// Per-account "who is inside" counters and per-transaction run counts,
/// updated by the model's `execute` callback: entering a transaction takes
/// its accounts (a write needs the account empty, a read needs no writer
/// inside), leaving releases them. Any overlap the scheduler allows between
/// conflicting transactions trips an assertion in some interleaving.
pub struct Occupancy {
    batch: Vec<LockSet>,
    inside: Vec<AtomicUsize>,
    runs: Vec<AtomicU32>,
}

impl Occupancy {
    /// Counters for `batch` over accounts numbered below `accounts`.
    pub fn new(batch: Vec<LockSet>, accounts: usize) -> Self {
        let n = batch.len();
        Self {
            batch,
            inside: (0..accounts).map(|_| AtomicUsize::new(0)).collect(),
            runs: (0..n).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    /// The model's transaction `i`: enter, check, leave.
    pub fn execute(&self, i: usize) {
        let prev = self.runs[i].fetch_add(1, SeqCst);
        assert_eq!(prev, 0, "transaction {i} ran twice");
        for l in &self.batch[i] {
            let slot = &self.inside[account_index(&l.key)];
            match l.mode {
                LockMode::Write => {
                    let was = slot.swap(WRITER, SeqCst);
                    assert_eq!(
                        was, 0,
                        "tx {i} writes {:?} while it is held ({was:#x})",
                        l.key
                    );
                }
                LockMode::Read => {
                    let was = slot.fetch_add(1, SeqCst);
                    assert_eq!(was & WRITER, 0, "tx {i} reads {:?} beside a writer", l.key);
                }
            }
        }
        for l in &self.batch[i] {
            let slot = &self.inside[account_index(&l.key)];
            match l.mode {
                LockMode::Write => slot.store(0, SeqCst),
                LockMode::Read => {
                    slot.fetch_sub(1, SeqCst);
                }
            }
        }
    }

    /// Assert that every transaction ran exactly once.
    pub fn assert_all_ran_once(&self) {
        for (i, r) in self.runs.iter().enumerate() {
            assert_eq!(
                r.load(SeqCst),
                1,
                "transaction {i} ran {} times",
                r.load(SeqCst)
            );
        }
    }
}

/// **Dependency counters under concurrent completion.**
///
/// Batch: `0` writes A, `1` writes B, `2` reads A and B, so `2` has two
/// predecessors. Two threads call `Dispatch::complete(0)` and
/// `complete(1)` at the same time, each after publishing a value with a
/// *relaxed* store. Checks: exactly one of them is handed `2` (released
/// exactly once, never lost), nothing is spilled to the queue, and the
/// thread that got `2` sees both predecessors' writes (the AcqRel
/// decrement chain carries happens-before; loom would otherwise let a
/// relaxed load return the stale 0).
pub fn counters_release_once() {
    builder().check(|| {
        let graph =
            DependencyGraph::build(&[locks(&[0], &[]), locks(&[1], &[]), locks(&[], &[0, 1])])
                .expect("tiny batch");
        let d = Arc::new(Dispatch::new(graph, 2));
        let written = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let handles: Vec<_> = (0..2u32)
            .map(|p| {
                let (d, written) = (d.clone(), written.clone());
                thread::spawn(move || {
                    written[p as usize].store(1, Relaxed);
                    let mut spill = Vec::new();
                    let got = d.complete(p, &mut spill);
                    if got == Some(2) {
                        // Whoever releases 2 must see both predecessors' effects.
                        assert_eq!(written[0].load(Relaxed), 1, "missed tx 0's write");
                        assert_eq!(written[1].load(Relaxed), 1, "missed tx 1's write");
                    }
                    got
                })
            })
            .collect();
        let got: Vec<Option<u32>> = handles
            .into_iter()
            .map(|h| h.join().expect("join"))
            .collect();
        let released = got.iter().filter(|g| **g == Some(2)).count();
        assert_eq!(released, 1, "tx 2 released {released} times: {got:?}");
        assert_eq!(d.queue().try_pop(), None, "nothing else to release");
    });
}

/// **Ready queue: no lost wake-up, no double hand-out.**
///
/// Two consumers block in `pop_or_wait` while a producer pushes two items
/// in one `push` and then closes the queue. Checks: each consumer gets one
/// distinct item (a sleeper is never left waiting past a push or past
/// `close` — loom reports that as a deadlock), and both items are handed
/// out exactly once.
pub fn queue_wakes_sleepers() {
    builder().check(|| {
        let q = Arc::new(ReadyQueue::new());
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let q = q.clone();
                thread::spawn(move || q.pop_or_wait())
            })
            .collect();
        q.push(&[10, 11]);
        let mut got: Vec<Option<u32>> = consumers
            .into_iter()
            .map(|h| h.join().expect("join"))
            .collect();
        got.sort();
        assert_eq!(got, vec![Some(10), Some(11)]);
        assert_eq!(q.try_pop(), None);
    });
}

/// **Ready queue: close releases a sleeper; items before close are kept.**
///
/// One consumer pops twice while a producer pushes one item and then
/// closes. Checks: the consumer gets the item, then `None` — it neither
/// sleeps forever after `close` (deadlock) nor loses the item.
pub fn queue_close_releases_sleeper() {
    builder().check(|| {
        let q = Arc::new(ReadyQueue::new());
        let consumer = {
            let q = q.clone();
            thread::spawn(move || (q.pop_or_wait(), q.pop_or_wait()))
        };
        q.push(&[5]);
        q.close();
        assert_eq!(consumer.join().expect("join"), (Some(5), None));
        assert!(q.is_closed());
    });
}

/// Run `batch` with `workers` threads (the model's main thread is one of
/// them) through the real worker loop, `Dispatch::work`, and check it.
fn run_workers(batch: Vec<LockSet>, accounts: usize, workers: usize) {
    let n = batch.len();
    let graph = DependencyGraph::build(&batch).expect("tiny batch");
    let d = Arc::new(Dispatch::new(graph, workers));
    let occ = Arc::new(Occupancy::new(batch, accounts));
    let others: Vec<_> = (1..workers)
        .map(|_| {
            let (d, occ) = (d.clone(), occ.clone());
            thread::spawn(move || d.work(&|i| occ.execute(i)))
        })
        .collect();
    d.work(&|i| occ.execute(i));
    for h in others {
        h.join().expect("worker panicked");
    }
    occ.assert_all_ran_once();
    assert_eq!(d.completed(), n, "completion count");
}

/// **Worker loop, fan-out and fan-in on one account (2 workers).**
///
/// Batch on account A: `w0, r1, r2, w3`. Completing `0` releases `1` and
/// `2` — one runs inline, one goes through the ready queue — and `3` waits
/// for both readers. Checks: no two writers of A at once, no reader
/// beside a writer, every transaction exactly once, the completion count
/// reaches 4 and all workers return (no deadlock).
pub fn workers_fan_out_fan_in() {
    builder().check(|| {
        run_workers(
            vec![
                locks(&[0], &[]),
                locks(&[], &[0]),
                locks(&[], &[0]),
                locks(&[0], &[]),
            ],
            1,
            2,
        );
    });
}

/// **Worker loop, two predecessors finishing together (2 workers).**
///
/// Batch: `0` writes A, `1` writes B (both roots, so the two workers can
/// run them at once), `2` reads A and writes B. Checks as above: `2` runs
/// exactly once, only after both, and the workers terminate.
pub fn workers_join_two_roots() {
    builder().check(|| {
        run_workers(
            vec![locks(&[0], &[]), locks(&[1], &[]), locks(&[1], &[0])],
            2,
            2,
        );
    });
}

/// **Worker loop, three workers and independent work.**
///
/// Batch: two independent transactions and a third reading both of their
/// accounts. Three workers race for two roots (the root cursor), the loser
/// goes idle and must be woken by completion or close. Checks: exclusion,
/// exactly-once, termination of all three.
pub fn workers_three_threads() {
    builder().check(|| {
        run_workers(
            vec![locks(&[0], &[]), locks(&[1], &[]), locks(&[], &[0, 1])],
            2,
            3,
        );
    });
}

/// **A caller working beside a helper and waiting for it to leave
/// (`Scheduler::run_graph_alongside`).**
///
/// Batch: two independent writers and a reader of both. One helper thread
/// starts on the batch at once; the model's main thread first does its side
/// work (a yield, so the helper may run ahead or not start at all yet),
/// then joins through the same worker loop, then waits on the [`Crew`].
/// Checks: exclusion and exactly-once as in the worker models, and that
/// once the wait returns the helper has left the batch (its last
/// `execute` returned and it marked itself done before leaving the crew),
/// so nothing still runs when the caller moves on to the next wave.
pub fn crew_caller_waits_for_helper() {
    builder().check(|| {
        let batch = vec![locks(&[0], &[]), locks(&[1], &[]), locks(&[], &[0, 1])];
        let graph = DependencyGraph::build(&batch).expect("tiny batch");
        let d = Arc::new(Dispatch::new(graph, 2));
        let occ = Arc::new(Occupancy::new(batch, 2));
        let crew = Arc::new(Crew::new(1));
        let helper_done = Arc::new(AtomicBool::new(false));
        let helper = {
            let (d, occ, crew, done) = (d.clone(), occ.clone(), crew.clone(), helper_done.clone());
            thread::spawn(move || {
                let _member = crew.member();
                d.work(&|i| occ.execute(i));
                done.store(true, Relaxed);
            })
        };
        thread::yield_now(); // the side work
        d.work(&|i| occ.execute(i));
        crew.wait_all_left();
        assert!(
            helper_done.load(Relaxed),
            "the caller moved on before the helper left"
        );
        occ.assert_all_ran_once();
        assert_eq!(d.completed(), 3, "completion count");
        helper.join().expect("helper panicked");
    });
}

/// **A caller parking on a [`Crew`]: no lost wake-up.**
///
/// Two helpers each join the crew, publish a value with a *relaxed* store
/// and leave; the model's main thread waits with `wait_all_left`, which
/// under loom parks at once (the spin budget is zero there), so every
/// interleaving of the last helper's leave with the caller's check and
/// sleep is explored. Checks: the caller is always woken (loom reports a
/// caller left asleep as a deadlock), and once it returns it sees both
/// helpers' values (the leave's release and the caller's acquire carry
/// happens-before, whether it parked or saw the count reach zero).
pub fn crew_park_no_lost_wakeup() {
    builder().check(|| {
        let crew = Arc::new(Crew::new(2));
        let written = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let helpers: Vec<_> = (0..2usize)
            .map(|h| {
                let (crew, written) = (crew.clone(), written.clone());
                thread::spawn(move || {
                    let _member = crew.member();
                    written[h].store(1, Relaxed);
                })
            })
            .collect();
        crew.wait_all_left();
        assert_eq!(written[0].load(Relaxed), 1, "missed helper 0's write");
        assert_eq!(written[1].load(Relaxed), 1, "missed helper 1's write");
        for h in helpers {
            h.join().expect("helper panicked");
        }
    });
}
