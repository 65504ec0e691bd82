//! The concurrent core: dependency counters, the ready queue, the worker loop.
//!
//! Everything here uses the primitives of [`crate::sync`], so the loom models
//! in `baton-loom-tests` drive exactly this code; the rayon side
//! ([`crate::Scheduler`]) only decides how many workers run [`Dispatch::work`].

use std::ops::Range;

use crate::sync::{
    self, AtomicBool, AtomicU32, AtomicUsize, CachePadded, Condvar, Mutex, Ordering,
};
use crate::DependencyGraph;

mod crew;
mod gate;
pub use crew::{Crew, CrewMember};
pub use gate::{Gate, ShutOnDrop};

/// The mutable part of a [`ReadyQueue`], behind its mutex.
#[derive(Default)]
struct QueueState {
    /// Ready transactions, used as a stack (hot in cache, and a completion
    /// pushes its released successors highest-first so the lowest, the one
    /// most likely to gate later work, pops first).
    items: Vec<u32>,
    /// Workers blocked in [`ReadyQueue::pop_or_wait`]; a push notifies only
    /// if this is non-zero, so a busy batch never touches the condvar.
    sleepers: usize,
}

/// The queue of released transactions that no worker has claimed yet, with
/// blocking pop and close.
///
/// Only fan-out goes through here: a completion that releases one successor
/// runs it inline, and the batch's roots are claimed from a cursor, so in a
/// uniform batch or a chain this queue stays empty. A mutex-protected stack
/// is therefore enough, and it is what loom can check; `len` mirrors the
/// stack's length outside the lock so idle workers poll without locking.
///
/// Lost wake-ups are excluded by the usual discipline: a worker checks for
/// items and for `closed` and registers as a sleeper under the same lock
/// hold in which it starts waiting, and pushers and `close` change the state
/// under that lock before notifying.
pub struct ReadyQueue {
    /// Mirror of `state.items.len()`, written under the lock, read without
    /// it as a hint (a stale 0 only sends the reader to the locked path).
    len: CachePadded<AtomicUsize>,
    /// Set once, under the lock; after it every pop returns `None` once
    /// the items are gone.
    closed: AtomicBool,
    state: Mutex<QueueState>,
    wake: Condvar,
}

impl Default for ReadyQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl ReadyQueue {
    /// An empty, open queue.
    pub fn new() -> Self {
        Self {
            len: CachePadded::new(AtomicUsize::new(0)),
            closed: AtomicBool::new(false),
            state: Mutex::new(QueueState::default()),
            wake: Condvar::new(),
        }
    }

    /// Push `txs`, popped last-first, and wake as many sleepers as there are
    /// new items (at most).
    pub fn push(&self, txs: &[u32]) {
        if txs.is_empty() {
            return;
        }
        let sleepers = {
            let mut st = sync::lock(&self.state);
            st.items.extend_from_slice(txs);
            // Publish the hint while still holding the lock, so it never
            // runs ahead of (or far behind) the stack itself.
            self.len.store(st.items.len(), Ordering::Release);
            st.sleepers
        };
        // Notify after unlocking so a woken worker does not immediately
        // block on the mutex we hold. Safe: every sleeper counted above is
        // already waiting (it registered and started waiting in one lock
        // hold), and a worker not counted will see the items under the lock
        // before it could start waiting.
        for _ in 0..sleepers.min(txs.len()) {
            self.wake.notify_one();
        }
    }

    /// Pop a ready transaction if there seems to be one, without blocking.
    pub fn try_pop(&self) -> Option<u32> {
        // Cheap unlocked check first: idle workers call this in a loop.
        if self.len.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut st = sync::lock(&self.state);
        let tx = st.items.pop();
        self.len.store(st.items.len(), Ordering::Release);
        tx
    }

    /// Pop a ready transaction, sleeping until one is pushed; `None` once
    /// the queue is closed and empty.
    pub fn pop_or_wait(&self) -> Option<u32> {
        let mut st = sync::lock(&self.state);
        loop {
            if let Some(tx) = st.items.pop() {
                self.len.store(st.items.len(), Ordering::Release);
                return Some(tx);
            }
            // `closed` is only ever set under this lock, so this read and
            // the wait below are atomic with respect to `close`.
            if self.closed.load(Ordering::Acquire) {
                return None;
            }
            st.sleepers += 1;
            st = self
                .wake
                .wait(st)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            st.sleepers -= 1;
            // Spurious wake-ups and lost races for the item land back here.
        }
    }

    /// Close the queue and wake every sleeper: once it is empty, pops
    /// return `None`. Idempotent.
    ///
    /// Notifies only when a worker sleeps: every batch and wave closes its
    /// queue once, and a condvar's notification is a system call even when
    /// nobody waits (a futex wake, one per wave on the thread that ends
    /// it). Safe as in [`push`](Self::push): a sleeper registers and starts
    /// waiting in one hold of the lock under which `closed` is set and the
    /// count read, and a worker not counted checks `closed` under that
    /// lock before it could wait.
    pub fn close(&self) {
        #[cfg(not(baton_loom_broken))]
        let sleepers = {
            let st = sync::lock(&self.state);
            self.closed.store(true, Ordering::Release);
            st.sleepers
        };
        // Deliberately broken variant for the loom suite: the sleepers are
        // counted in a lock hold of their own before the one that closes,
        // so a worker can find the queue open, register and sleep between
        // the two, and is never woken (a lost wake-up, a deadlock for loom).
        #[cfg(baton_loom_broken)]
        let sleepers = {
            let counted = sync::lock(&self.state).sleepers;
            let _st = sync::lock(&self.state);
            self.closed.store(true, Ordering::Release);
            counted
        };
        if sleepers > 0 {
            self.wake.notify_all();
        }
    }

    /// Whether [`close`](Self::close) has been called (a hint for pollers).
    #[inline]
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// The number of queued transactions (a hint: it may be stale).
    #[inline]
    pub fn len_hint(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }
}

/// One batch in flight: the graph, its live dependency counters, the root
/// cursor, the ready queue and the completion count. Any number of threads
/// call [`work`](Self::work) on one shared `Dispatch`; together they run
/// every transaction exactly once, each only after all its predecessors
/// have finished, and all return once the batch is done.
pub struct Dispatch {
    graph: DependencyGraph,
    /// `pending[i]`: predecessors of `i` not finished yet. The completion
    /// that takes it from 1 to 0 owns `i` and must run or queue it.
    pending: Box<[AtomicU32]>,
    /// Next unclaimed position in `graph.roots`; workers claim shrinking
    /// chunks of roots from it (see [`Dispatch::claim_root`]).
    cursor: CachePadded<AtomicUsize>,
    /// A claim takes `1 / share` of the roots left (at least one).
    share: usize,
    /// Finished transactions, as published by the workers (each publishes
    /// its local count only when it runs out of work, so this is not
    /// touched per transaction). Reaching `len` closes the queue.
    done: CachePadded<AtomicUsize>,
    /// Set when a worker unwinds (the user's callback panicked): everyone
    /// stops at the next transaction boundary instead of waiting forever
    /// for a transaction that will never finish.
    stop: AtomicBool,
    queue: ReadyQueue,
}

impl Dispatch {
    /// Prepare `graph` to be run by `workers` threads (the count only
    /// tunes how many roots a worker claims at once).
    pub fn new(graph: DependencyGraph, workers: usize) -> Self {
        let pending = graph
            .pred_count
            .iter()
            .map(|&c| AtomicU32::new(c))
            .collect();
        let queue = ReadyQueue::new();
        if graph.is_empty() {
            // Nothing will ever complete and close it.
            queue.close();
        }
        Self {
            graph,
            pending,
            cursor: CachePadded::new(AtomicUsize::new(0)),
            share: 2 * workers.max(1),
            done: CachePadded::new(AtomicUsize::new(0)),
            stop: AtomicBool::new(false),
            queue,
        }
    }

    /// The graph being run.
    #[inline]
    pub fn graph(&self) -> &DependencyGraph {
        &self.graph
    }

    /// Take the graph back, e.g. to recycle its buffers.
    pub fn into_graph(self) -> DependencyGraph {
        self.graph
    }

    /// Whether a worker stopped the batch (its callback panicked).
    #[inline]
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The ready queue (for the loom models).
    #[inline]
    pub fn queue(&self) -> &ReadyQueue {
        &self.queue
    }

    /// Finished transactions published so far; equals the batch length
    /// once every worker has returned from [`work`](Self::work).
    pub fn completed(&self) -> usize {
        self.done.load(Ordering::Acquire)
    }

    /// Record that `tx` has finished: decrement each successor's counter,
    /// and release those that reach zero. Returns the lowest released
    /// successor, for the caller to run next on the same thread (a chain
    /// thus never goes through the queue); pushes the others to the ready
    /// queue in one lock hold. `spill` is caller-owned scratch, reused
    /// across calls so that no completion allocates.
    ///
    /// Must be called exactly once per transaction, after it has run.
    pub fn complete(&self, tx: u32, spill: &mut Vec<u32>) -> Option<u32> {
        let mut first = None;
        spill.clear();
        for &s in self.graph.successors(tx as usize) {
            if self.release(s) {
                if first.is_none() {
                    first = Some(s);
                } else {
                    spill.push(s);
                }
            }
        }
        if !spill.is_empty() {
            // Highest first, so the stack pops the lowest index first.
            spill.reverse();
            self.queue.push(spill);
        }
        first
    }

    /// Decrement `s`'s pending count; true for the one caller that took it
    /// to zero, which now owns `s`.
    #[inline]
    fn release(&self, s: u32) -> bool {
        let counter = &self.pending[s as usize];
        // AcqRel: the Release half publishes everything the finished
        // predecessor wrote; the Acquire half, in the decrement that reaches
        // zero, synchronises with every earlier decrement (they form one
        // release sequence on this counter), so whoever runs `s` sees all
        // its predecessors' effects. The hand-off to another worker then
        // goes through the queue's mutex, which carries that on.
        #[cfg(not(baton_loom_broken))]
        let before = counter.fetch_sub(1, Ordering::AcqRel);
        // Deliberately broken variant for the loom suite: a load and a store
        // instead of one atomic read-modify-write. Two predecessors that
        // finish together can both read 2 and both write 1, so `s` is never
        // released (or, from 1, released twice) — which loom must find.
        #[cfg(baton_loom_broken)]
        let before = {
            let v = counter.load(Ordering::Acquire);
            counter.store(v.wrapping_sub(1), Ordering::Release);
            v
        };
        before == 1
    }

    /// Claim the next root: from this worker's claimed chunk, else a new
    /// chunk from the shared cursor.
    ///
    /// Chunks shrink as the roots run out (guided self-scheduling): each
    /// claim takes the roots left divided by twice the worker count, so a
    /// wave of 1,000 roots costs each worker about a dozen claims, and
    /// the last claims, of one root each, still balance the end of the
    /// wave. Each claim touches the cursor's cache line, which the other
    /// cores write too; fixed chunks of 6 to 7 roots (1/64 of a share)
    /// claimed about 150 times a wave, and measured 2–3% slower on two
    /// threads.
    #[inline]
    fn claim_root(&self, chunk: &mut Range<usize>) -> Option<u32> {
        let roots = &self.graph.roots;
        if let Some(at) = chunk.next() {
            return roots.get(at).copied();
        }
        let len = roots.len();
        // Relaxed suffices: the roots array was written before any worker
        // started, and the cursor only hands out positions.
        let mut start = self.cursor.load(Ordering::Relaxed);
        loop {
            if start >= len {
                return None;
            }
            let take = ((len - start) / self.share).max(1);
            match self.cursor.compare_exchange_weak(
                start,
                start + take,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    *chunk = start + 1..start + take;
                    return roots.get(start).copied();
                }
                Err(now) => start = now,
            }
        }
    }

    /// Publish this worker's finished count. Returns true if that finished
    /// the batch, in which case the queue is closed so the others return.
    #[inline]
    fn publish(&self, finished: &mut usize) -> bool {
        if *finished == 0 {
            return false;
        }
        let total = self.done.fetch_add(*finished, Ordering::AcqRel) + *finished;
        *finished = 0;
        if total == self.graph.len() {
            self.queue.close();
            return true;
        }
        false
    }

    /// Wait for a ready transaction: poll the queue's length hint while a
    /// [`Backoff`](sync::Backoff) allows (spin, then yield, for at most
    /// its budget), then sleep on the queue. `None` once the batch is done
    /// (or stopped).
    fn wait_for_work(&self) -> Option<u32> {
        let mut backoff = sync::Backoff::new();
        loop {
            if self.queue.len_hint() > 0 {
                if let Some(tx) = self.queue.try_pop() {
                    return Some(tx);
                }
            }
            if self.queue.is_closed() {
                return None;
            }
            if !backoff.snooze() {
                return self.queue.pop_or_wait();
            }
        }
    }

    /// Run transactions until the batch is done: the worker loop. Call it
    /// on as many threads as should execute the batch; each call returns
    /// once every transaction has finished (or one of them panicked).
    ///
    /// Preference order for the next transaction: the successor this worker
    /// just released (inline, no hand-off), then roots (a chunk at a time),
    /// then the ready queue, then — after publishing its finished count —
    /// wait.
    ///
    /// If `execute` panics, the other workers stop at their next
    /// transaction boundary and the panic unwinds out of this call; the
    /// batch is then abandoned part-way (no transaction that depends on the
    /// panicked one has started).
    pub fn work<F: Fn(usize) + ?Sized>(&self, execute: &F) {
        self.run_loop(&mut (), &|_: &mut (), j| execute(j), None::<&fn(usize)>);
    }

    /// [`Self::work`], calling `upcoming(j)` just before each `execute`
    /// with the transactions this worker expects to take next: the
    /// successor the running one will release if it is that successor's
    /// last unfinished predecessor (it then runs inline), and the next root
    /// (of the worker's claimed chunk, else the first of the next chunk), so
    /// that the caller can start fetching their accounts. Only hints: `j`
    /// may run on another worker, or later.
    pub fn work_with_hint<F, P>(&self, execute: &F, upcoming: &P)
    where
        F: Fn(usize) + ?Sized,
        P: Fn(usize) + ?Sized,
    {
        self.run_loop(&mut (), &|_: &mut (), j| execute(j), Some(upcoming));
    }

    /// [`Self::work_with_hint`] with state of this worker's own: each call
    /// is `execute(local, j)`, so a worker can keep what it produces (say,
    /// results) where no other thread writes, with no lock per transaction.
    pub fn work_with_local<L, F, P>(&self, local: &mut L, execute: &F, upcoming: &P)
    where
        F: Fn(&mut L, usize) + ?Sized,
        P: Fn(usize) + ?Sized,
    {
        self.run_loop(local, execute, Some(upcoming));
    }

    /// [`Self::work_with_local`], also returning how many transactions this
    /// worker ran and how long it waited for work (its time with nothing to
    /// run, including the wait for the others to finish the batch). The
    /// scheduler's caller measures itself with it to judge whether running
    /// in parallel pays (see [`crate::Scheduler`]); the clock is read only
    /// around waits, never per transaction.
    pub fn work_measured<L, F, P>(&self, local: &mut L, execute: &F, upcoming: &P) -> WorkerEffort
    where
        F: Fn(&mut L, usize) + ?Sized,
        P: Fn(usize) + ?Sized,
    {
        let mut effort = WorkerEffort::default();
        self.run_loop_measured(local, execute, Some(upcoming), Some(&mut effort));
        effort
    }

    /// Name to `upcoming` what this worker will likely run after `tx`.
    #[inline]
    fn hint<P: Fn(usize) + ?Sized>(&self, tx: u32, chunk: &Range<usize>, upcoming: &P) {
        let inline_next = self.graph.successors(tx as usize).iter().find(|&&s| {
            self.pending
                .get(s as usize)
                .is_some_and(|c| c.load(Ordering::Relaxed) == 1)
        });
        if let Some(&s) = inline_next {
            upcoming(s as usize);
        }
        let next_root = if chunk.start < chunk.end {
            chunk.start
        } else {
            self.cursor.load(Ordering::Relaxed)
        };
        if let Some(&r) = self.graph.roots.get(next_root) {
            upcoming(r as usize);
        }
    }

    fn run_loop<L, F, P>(&self, local: &mut L, execute: &F, upcoming: Option<&P>)
    where
        F: Fn(&mut L, usize) + ?Sized,
        P: Fn(usize) + ?Sized,
    {
        self.run_loop_measured(local, execute, upcoming, None);
    }

    #[inline]
    fn run_loop_measured<L, F, P>(
        &self,
        local: &mut L,
        execute: &F,
        upcoming: Option<&P>,
        mut effort: Option<&mut WorkerEffort>,
    ) where
        F: Fn(&mut L, usize) + ?Sized,
        P: Fn(usize) + ?Sized,
    {
        let _stop_on_unwind = StopOnUnwind(self);
        let mut spill = Vec::new();
        let mut chunk = 0..0;
        let mut next: Option<u32> = None;
        // Finished here but not yet added to `done`.
        let mut finished = 0usize;
        loop {
            let tx = match next.take() {
                Some(tx) => tx,
                None => match self.claim_root(&mut chunk).or_else(|| self.queue.try_pop()) {
                    Some(tx) => tx,
                    None => {
                        // Out of work: publish, which may end the batch. Every
                        // worker publishes before it can sleep, so `done`
                        // reaches the batch length exactly when the last
                        // transaction has finished.
                        if let Some(e) = effort.as_deref_mut() {
                            e.executed += finished;
                        }
                        if self.publish(&mut finished) {
                            return;
                        }
                        let waited = match effort.as_deref_mut() {
                            Some(e) => {
                                let since = std::time::Instant::now();
                                let got = self.wait_for_work();
                                e.idle += since.elapsed();
                                got
                            }
                            None => self.wait_for_work(),
                        };
                        match waited {
                            Some(tx) => tx,
                            None => return,
                        }
                    }
                },
            };
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            if let Some(upcoming) = upcoming {
                self.hint(tx, &chunk, upcoming);
            }
            execute(local, tx as usize);
            finished += 1;
            next = self.complete(tx, &mut spill);
        }
    }
}

/// Stops the batch if the worker holding it unwinds.
struct StopOnUnwind<'a>(&'a Dispatch);

impl Drop for StopOnUnwind<'_> {
    fn drop(&mut self) {
        // Under loom a panic (a failed check, a detected deadlock) ends the
        // whole model execution, and touching loom objects while unwinding
        // would abort the test process instead of reporting the failure.
        if cfg!(baton_loom) {
            return;
        }
        if std::thread::panicking() {
            self.0.stop.store(true, Ordering::Relaxed);
            self.0.queue.close();
        }
    }
}

/// What one worker did in a batch, as [`Dispatch::work_measured`] reports
/// it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkerEffort {
    /// Transactions this worker ran.
    pub executed: usize,
    /// Time it spent with nothing to run (waiting for a transaction to be
    /// released, or for the others to finish the batch).
    pub idle: std::time::Duration,
}

#[cfg(all(test, not(baton_loom)))]
mod tests {
    use super::*;
    use crate::LockSet;

    #[test]
    fn roots_are_claimed_once_each_in_shrinking_chunks() {
        let batch = vec![LockSet::default(); 1000];
        let graph = DependencyGraph::build(&batch).unwrap_or_default();
        assert_eq!(graph.roots().len(), 1000);
        let d = Dispatch::new(graph, 2);
        let mut chunk = 0..0;
        let mut claimed = Vec::new();
        let mut sizes = Vec::new();
        loop {
            let fresh = chunk.start >= chunk.end;
            let Some(r) = d.claim_root(&mut chunk) else {
                break;
            };
            if fresh {
                sizes.push(chunk.len() + 1);
            }
            claimed.push(r);
        }
        // Every root once, in order (one worker claims them all here).
        assert_eq!(claimed, (0..1000).collect::<Vec<u32>>());
        // A quarter of what is left per claim with two workers: 250, 187,
        // 140, ... down to single roots, a few dozen claims in all.
        assert_eq!(sizes[0], 250);
        assert!(sizes.windows(2).all(|w| w[1] <= w[0]), "{sizes:?}");
        assert_eq!(sizes.last(), Some(&1));
        assert!(sizes.len() < 40, "{} claims", sizes.len());
        assert_eq!(sizes.iter().sum::<usize>(), 1000);
    }
}
