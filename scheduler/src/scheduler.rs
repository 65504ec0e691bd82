//! The rayon side: a thread pool and the choice of strategy per batch.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::contention::{self, ParallelRun};
use crate::sync::{StdAtomicU64, StdMutex, StdOrdering};
use crate::{Crew, DependencyGraph, Dispatch, GraphBuilder, LockSet};

/// A lingering thread yields once every this many rounds of 64 spin hints
/// (a few microseconds).
const LINGER_YIELD_EVERY: u32 = 16;

/// Transactions per wave of a [`Scheduler::run`] that overlaps building
/// graphs with running them (the runtime's waves are this size too).
pub const RUN_WAVE: usize = 1024;

/// The thread count from which [`Scheduler::run`] builds a batch's whole
/// graph before running it instead of building wave k+1's while wave k
/// runs: with that many threads executing, one thread building graphs
/// would hold them back (the runtime plans its batches from here too).
pub const PIPELINED_BELOW_THREADS: usize = 8;

/// Why a scheduler could not be built or a graph not be made.
#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    /// The rayon thread pool could not be started.
    #[error("could not start the scheduler's thread pool: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
    /// A batch longer than [`crate::MAX_BATCH_LEN`] cannot be indexed.
    #[error("a batch of {len} transactions exceeds the scheduler's limit")]
    BatchTooLarge {
        /// The batch's length.
        len: usize,
    },
}

/// Runs a batch of transactions on a rayon pool so that the outcome equals
/// running them one by one in batch order (see the crate docs for how).
///
/// The scheduler knows a transaction only by its [`LockSet`] and runs it by
/// calling back with its index; it never sees the transaction itself.
pub struct Scheduler {
    pool: rayon::ThreadPool,
    threads: usize,
    /// Graph-building buffers reused from batch to batch, one builder per
    /// graph built at once (a caller may build several graphs side by
    /// side): taken out for a build and put back after it.
    builders: StdMutex<Vec<GraphBuilder>>,
    /// The current linger (see [`linger`](Self::linger)): pool threads spin
    /// while it holds the number they were started with. Bumped to end it.
    linger: Arc<StdAtomicU64>,
    /// Whether batches fall back to the calling thread alone while
    /// parallel runs do not pay (see [`with_serial_fallback`](Self::with_serial_fallback)).
    fallback: bool,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("threads", &self.threads)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl Scheduler {
    /// A scheduler with its own pool of `threads` worker threads; 0 means
    /// one per available core.
    pub fn new(threads: usize) -> Result<Self, SchedulerError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("baton-sched-{i}"))
            .build()?;
        let threads = pool.current_num_threads();
        Ok(Self {
            pool,
            threads,
            builders: StdMutex::new(Vec::new()),
            linger: Arc::new(StdAtomicU64::new(0)),
            fallback: true,
        })
    }

    /// Whether a batch that could run in parallel runs on the calling
    /// thread alone while parallel runs do not pay on this host (on by
    /// default; see the crate docs, "Waiting and contention"). Either way
    /// the outcome is the serial one; off, every such batch runs on the
    /// pool, which tests of the parallel path want whatever the host's load.
    /// [`crate::set_serial_fallback`] turns it off for a whole process.
    pub fn with_serial_fallback(mut self, on: bool) -> Self {
        self.fallback = on;
        self
    }

    /// Whether this scheduler may fall back now (its own setting and the
    /// process's, [`crate::set_serial_fallback`]).
    #[inline]
    pub(crate) fn falls_back(&self) -> bool {
        self.fallback && contention::fallback_allowed()
    }

    /// Whether batches now run on the calling thread alone because
    /// parallel runs have recently lost to the serial estimate (always
    /// false with the fallback off). A hint for callers that size other
    /// parallel work; it may change at any moment.
    pub fn serial_for_now(&self) -> bool {
        self.falls_back() && contention::HOST.serial_at(contention::now_ns())
    }

    /// A scheduler with one thread per available core.
    pub fn with_all_cores() -> Result<Self, SchedulerError> {
        Self::new(0)
    }

    /// The number of worker threads.
    #[inline]
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The pool the workers run on, for callers that want to run other
    /// parallel work (signature checks, hashing) on the same threads. Ends
    /// a [`linger`](Self::linger), as every method that runs work does.
    #[inline]
    pub fn pool(&self) -> &rayon::ThreadPool {
        self.stop_lingering();
        &self.pool
    }

    /// Keep the pool's threads awake for up to `max`: each spins (a CPU
    /// hint, then a look at the clock, about every microsecond) until the
    /// next work arrives through this scheduler or `max` has passed, and
    /// only then goes idle the rayon way (a short spin, then sleep).
    ///
    /// For a caller that runs batches back to back: a sleeping thread takes
    /// a futex wake-up to start on the next batch, which on a VM costs tens
    /// of microseconds (about 70 on the project's 2-core VM, where the
    /// first wave of every batch ran on the calling thread alone for it).
    /// The price is up to `max` of spinning on each pool thread when no
    /// batch follows. A new linger replaces the one running.
    ///
    /// The spin yields the core every few microseconds, so a thread that
    /// has work (the caller's, another process's) waits for a lingering
    /// thread that long at most, never a time slice; and while batches run
    /// serially because the host's cores are contended
    /// ([`serial_for_now`](Self::serial_for_now)), this does nothing.
    pub fn linger(&self, max: Duration) {
        if self.threads <= 1 || max.is_zero() || self.serial_for_now() {
            return;
        }
        let id = self.linger.fetch_add(1, StdOrdering::Relaxed) + 1;
        let start = Instant::now();
        for _ in 1..self.threads {
            let flag = Arc::clone(&self.linger);
            self.pool.spawn(move || {
                let mut round = 0u32;
                while flag.load(StdOrdering::Relaxed) == id && start.elapsed() < max {
                    for _ in 0..64 {
                        std::hint::spin_loop();
                    }
                    round = round.wrapping_add(1);
                    if round.is_multiple_of(LINGER_YIELD_EVERY) {
                        // Give the core away if anything else wants it:
                        // free when nothing does.
                        std::thread::yield_now();
                    }
                }
            });
        }
    }

    /// End the current [`linger`](Self::linger), if any: its threads stop
    /// spinning within a microsecond and pick up whatever comes next.
    fn stop_lingering(&self) {
        self.linger.fetch_add(1, StdOrdering::Relaxed);
    }

    /// Build the dependency graph of `n` transactions from their locks (see
    /// [`GraphBuilder::build_from`]), reusing this scheduler's buffers when no
    /// other batch holds them. Pass the graph to [`Scheduler::run_graph`].
    pub fn build_graph_from<F, I>(
        &self,
        n: usize,
        total_locks: usize,
        locks_of: F,
    ) -> Result<DependencyGraph, SchedulerError>
    where
        F: FnMut(usize) -> I,
        I: Iterator<Item = crate::AccountLock>,
    {
        self.with_builder(|b| b.build_from(n, total_locks, locks_of))
    }

    /// `f` of a builder with its buffers from an earlier batch when one is
    /// free, kept for a later build afterwards.
    fn with_builder<R>(&self, f: impl FnOnce(&mut GraphBuilder) -> R) -> R {
        let mut builder = self.take_builder();
        let r = f(&mut builder);
        self.put_builder(builder);
        r
    }

    /// A builder with its buffers from an earlier batch, when one is free.
    fn take_builder(&self) -> GraphBuilder {
        match self.builders.lock() {
            Ok(mut b) => b.pop(),
            Err(p) => p.into_inner().pop(),
        }
        .unwrap_or_default()
    }

    /// Keep `builder` for a later build (as many as builds ran at once, at
    /// most one per thread and one more).
    fn put_builder(&self, builder: GraphBuilder) {
        let mut builders = self.builders.lock().unwrap_or_else(|p| p.into_inner());
        if builders.len() <= self.threads {
            builders.push(builder);
        }
    }

    /// Call `execute(i)` exactly once for every `i` in `0..locks.len()`,
    /// such that whenever `locks[i]` and `locks[j]` conflict and `i < j`,
    /// `execute(i)` returns before `execute(j)` starts (and everything it
    /// wrote is visible to `execute(j)`). Returns when all calls have
    /// returned.
    ///
    /// With one thread, or a batch of fewer than two transactions, this is
    /// a plain loop on the calling thread, with no graph built at all.
    ///
    /// On 2 to [`PIPELINED_BELOW_THREADS`]` − 1` threads a batch of at least
    /// two [`RUN_WAVE`]s runs in waves: while the pool runs one wave, the
    /// calling thread builds the next one's graph, then joins (see
    /// [`run_graph_alongside`](Self::run_graph_alongside)); every wave has
    /// finished before the next starts. Building the graph is the part of a
    /// parallel run only one thread can do; overlapping it with execution
    /// takes it off the batch's time. On more threads the whole graph is
    /// built first (one thread building would hold the others back).
    ///
    /// If `execute` panics, the panic propagates out of `run` after the
    /// workers have stopped; transactions that depend on the panicked one
    /// are not started, others may or may not have run.
    pub fn run<F>(&self, locks: &[LockSet], execute: F)
    where
        F: Fn(usize) + Sync,
    {
        if self.threads <= 1 || locks.len() < 2 {
            return serial(locks.len(), &execute);
        }
        if self.threads < PIPELINED_BELOW_THREADS && locks.len() >= 2 * RUN_WAVE {
            return self.run_pipelined(locks, &execute);
        }
        match self.build(locks) {
            Ok(graph) => self.run_graph(graph, execute),
            // Too long to index: serial order is always a valid schedule.
            Err(_) => serial(locks.len(), &execute),
        }
    }

    /// The graph of `locks`, with a kept builder's buffers.
    fn build(&self, locks: &[LockSet]) -> Result<DependencyGraph, SchedulerError> {
        self.with_builder(|b| b.build(locks))
    }

    /// [`run`](Self::run) in waves of [`RUN_WAVE`], each wave's graph built
    /// while the previous wave runs.
    fn run_pipelined<F>(&self, locks: &[LockSet], execute: &F)
    where
        F: Fn(usize) + Sync,
    {
        let n = locks.len();
        let wave = |start: usize| start..n.min(start + RUN_WAVE);
        let build = |range: std::ops::Range<usize>| self.build(locks.get(range).unwrap_or(&[]));
        let mut start = 0;
        let mut next = build(wave(0));
        while start < n {
            let this = wave(start);
            let following = wave(this.end);
            let build_following = || (!following.is_empty()).then(|| build(following));
            let built = match next {
                // A wave that can only run in order runs here after the
                // next graph is built, without the pool, as a whole batch
                // that is a chain does: handing the build to a pool thread
                // costs more than it saves when the wave itself is short.
                Ok(graph) if graph.is_chain() => {
                    let following = build_following();
                    serial(graph.len(), &|j| execute(this.start + j));
                    self.recycle(graph);
                    following
                }
                Ok(graph) => self.run_graph_alongside(
                    graph,
                    |j| execute(this.start + j),
                    |_| {},
                    build_following,
                ),
                // Never at this wave size; in order is always valid.
                Err(_) => {
                    this.clone().for_each(execute);
                    build_following()
                }
            };
            start = this.end;
            next = match built {
                Some(following) => following,
                None => break,
            };
        }
    }

    /// Run a batch whose graph is already built (by
    /// [`DependencyGraph::build`]); same contract as [`run`](Self::run).
    pub fn run_graph<F>(&self, graph: DependencyGraph, execute: F)
    where
        F: Fn(usize) + Sync,
    {
        self.run_graph_with_hint(graph, execute, |_| {});
    }

    /// [`run_graph`](Self::run_graph), calling `upcoming(j)` just before
    /// each `execute` with a transaction the same thread will likely run
    /// soon (the next one in order when serial; when parallel, the
    /// successor it alone holds back and the next root, see
    /// [`Dispatch::work_with_hint`]), so that the caller can prefetch its
    /// accounts. `upcoming` must not have effects the result depends on: it
    /// is a hint, made whenever one is at hand.
    pub fn run_graph_with_hint<F, P>(&self, graph: DependencyGraph, execute: F, upcoming: P)
    where
        F: Fn(usize) + Sync,
        P: Fn(usize) + Sync,
    {
        let graph = if self.threads <= 1 || graph.len() < 2 || graph.is_chain() {
            // A chain (say, every transaction writes one hot account) can
            // only run serially: skip waking the pool altogether.
            serial_with_hint(graph.len(), &execute, &upcoming);
            graph
        } else if self.serial_for_now() {
            self.run_serially(graph.len(), || {
                serial_with_hint(graph.len(), &execute, &upcoming)
            });
            graph
        } else {
            let execute = |(): &mut (), j: usize| execute(j);
            self.run_parallel(graph, &|| (), &execute, &upcoming, &|()| {}, || ())
                .0
        };
        self.recycle(graph);
    }

    /// [`run_graph_with_hint`](Self::run_graph_with_hint) while the calling
    /// thread first does `side` (say, preparing the next batch) and then
    /// joins the batch as a worker; returns what `side` returned, once the
    /// batch is done.
    ///
    /// A chain (a batch that can only run in order) runs on the calling
    /// thread while a pool thread does `side`; with one thread, or fewer
    /// than two transactions, or while parallel runs do not pay on this
    /// host ([`serial_for_now`](Self::serial_for_now)), the caller does
    /// `side` and then the batch.
    pub fn run_graph_alongside<F, P, S, R>(
        &self,
        graph: DependencyGraph,
        execute: F,
        upcoming: P,
        side: S,
    ) -> R
    where
        F: Fn(usize) + Sync,
        P: Fn(usize) + Sync,
        S: FnOnce() -> R + Send,
        R: Send,
    {
        self.run_graph_alongside_local(
            graph,
            || (),
            |(): &mut (), j| execute(j),
            upcoming,
            |()| {},
            side,
        )
    }

    /// [`run_graph_alongside`](Self::run_graph_alongside) where each thread
    /// that runs transactions has state of its own: it makes it with
    /// `new_local()`, runs each transaction as `execute(&mut local, j)`, and
    /// hands it to `done(local)` once it has no more to run (before the
    /// call returns, on that thread). The runtime keeps results there: no
    /// lock per transaction, nothing two cores write.
    pub fn run_graph_alongside_local<L, N, F, P, D, S, R>(
        &self,
        graph: DependencyGraph,
        new_local: N,
        execute: F,
        upcoming: P,
        done: D,
        side: S,
    ) -> R
    where
        N: Fn() -> L + Sync,
        F: Fn(&mut L, usize) + Sync,
        P: Fn(usize) + Sync,
        D: Fn(L) + Sync,
        S: FnOnce() -> R + Send,
        R: Send,
    {
        let n = graph.len();
        let in_order = || {
            let mut local = new_local();
            serial_with_hint(n, |i| execute(&mut local, i), &upcoming);
            done(local);
        };
        let (graph, r) = if self.threads <= 1 || n < 2 {
            let r = side();
            in_order();
            (graph, r)
        } else if self.serial_for_now() {
            // Parallel runs do not pay on this host now (its cores are
            // contended): the caller alone, with the pool asleep, beats a
            // run that stalls on a descheduled thread.
            let r = side();
            self.run_serially(n, in_order);
            (graph, r)
        } else if graph.is_chain() {
            // The batch can only run in order: the caller runs it (its
            // accounts stay on this core) while a pool thread does the side
            // work. Measured like any parallel run: if the pool thread does
            // not get a core, the caller waits for the side work.
            let mut out = None;
            let mut side_took = Duration::ZERO;
            let mut chain_took = Duration::ZERO;
            let started = Instant::now();
            self.pool().in_place_scope(|scope| {
                scope.spawn(|_| {
                    let t = Instant::now();
                    out = Some(side());
                    side_took = t.elapsed();
                });
                let t = Instant::now();
                in_order();
                chain_took = t.elapsed();
            });
            if self.falls_back() {
                let run = ParallelRun {
                    len: n,
                    total: started.elapsed(),
                    side: side_took,
                    executed: n,
                    busy: chain_took,
                };
                contention::HOST.record_parallel(contention::now_ns(), run);
            }
            match out {
                Some(r) => (graph, r),
                // Unreachable: the scope returns after the spawned job, and
                // a panic in it resumes here instead.
                None => unreachable!("the side work did not run"),
            }
        } else {
            self.run_parallel(graph, &new_local, &execute, &upcoming, &done, side)
        };
        self.recycle(graph);
        r
    }

    /// Run `graph` on `threads - 1` pool workers and the calling thread,
    /// which first does `side` and then joins: one long-lived worker per
    /// thread for the whole batch, no rayon job per transaction, and never
    /// more threads than the scheduler has. Each worker's state comes from
    /// `new_local` and goes to `done` when it leaves. Returns once every
    /// `execute` and `done` call has returned (and happened-before the
    /// return).
    fn run_parallel<L, N, F, P, D, S, R>(
        &self,
        graph: DependencyGraph,
        new_local: &N,
        execute: &F,
        upcoming: &P,
        done: &D,
        side: S,
    ) -> (DependencyGraph, R)
    where
        N: Fn() -> L + Sync,
        F: Fn(&mut L, usize) + Sync,
        P: Fn(usize) + Sync,
        D: Fn(L) + Sync,
        S: FnOnce() -> R,
    {
        let len = graph.len();
        let dispatch = Dispatch::new(graph, self.threads);
        let crew = Crew::new(self.threads - 1);
        let work = || {
            let mut local = new_local();
            dispatch.work_with_local(&mut local, execute, upcoming);
            done(local);
        };
        let started = Instant::now();
        let (r, mut run) = self.pool().in_place_scope(|scope| {
            for _ in 1..self.threads {
                scope.spawn(|_| {
                    // Leaves the crew after `done`, also when unwinding.
                    let _member = crew.member();
                    work();
                });
            }
            let r = side();
            let joined = Instant::now();
            // Joining late is fine: a worker that finds nothing left
            // returns once the others have finished the batch.
            let mut local = new_local();
            let effort = dispatch.work_measured(&mut local, execute, upcoming);
            let ran_dry = Instant::now();
            done(local);
            // Wait for the helpers here (spin, yield, then park) rather
            // than let the scope put this thread to sleep at once (a
            // wake-up per wave).
            crew.wait_all_left();
            let run = ParallelRun {
                len,
                total: Duration::ZERO, // set once the scope has closed
                side: joined - started,
                executed: effort.executed,
                busy: (ran_dry - joined).saturating_sub(effort.idle),
            };
            (r, run)
        });
        if self.falls_back() {
            run.total = started.elapsed();
            contention::HOST.record_parallel(contention::now_ns(), run);
        }
        (dispatch.into_graph(), r)
    }

    /// Run `execute`, the in-order execution of `len` transactions on the
    /// calling thread instead of a parallel run because
    /// [`serial_for_now`](Self::serial_for_now) said so (here, or in a
    /// caller that runs a batch its own serial way), and take its cost per
    /// transaction as the yardstick the next parallel runs are judged by. Measures
    /// nothing on one thread or with the fallback off. For a caller that
    /// runs a whole batch its own serial way while the host is contended
    /// (the runtime: its one-thread path, stage 1 and admission included).
    pub fn run_serially<R>(&self, len: usize, execute: impl FnOnce() -> R) -> R {
        if self.threads <= 1 || !self.falls_back() {
            return execute();
        }
        let started = Instant::now();
        let r = execute();
        contention::HOST.record_serial(len, started.elapsed());
        r
    }

    /// Keep a finished graph's buffers for the next batch, in a free
    /// builder that has none.
    pub(crate) fn recycle(&self, graph: DependencyGraph) {
        let mut builders = self.builders.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = builders.iter_mut().find(|b| !b.has_spare()) {
            b.recycle(graph);
        }
    }
}

/// The in-order loop: the reference semantics, and the fast path.
#[inline]
fn serial<F: Fn(usize)>(n: usize, execute: &F) {
    serial_with_hint(n, execute, &|_| {});
}

/// [`serial`], naming each transaction's successor to `upcoming` first.
#[inline]
fn serial_with_hint<F: FnMut(usize), P: Fn(usize)>(n: usize, mut execute: F, upcoming: &P) {
    for i in 0..n {
        if i + 1 < n {
            upcoming(i + 1);
        }
        execute(i);
    }
}
