//! Parallel scheduler of the Baton engine: lock sets and conflict-free
//! dispatch on rayon.
//!
//! # The problem
//!
//! A batch is an ordered list of transactions, and its result must equal
//! running them one at a time in that order (§7 of
//! `docs/semantics.md`). Each transaction declares up front which
//! accounts it reads and which it writes (its [`LockSet`]). Two transactions
//! *conflict* when one writes an account the other reads or writes. Running
//! non-conflicting transactions at the same time cannot change any result,
//! since neither can observe the other; so a schedule is correct if and only
//! if, for every conflicting pair `i < j`, `i` finishes before `j` starts.
//! Two readers may overlap; a writer excludes everyone.
//!
//! The scheduler sees nothing else of a transaction: the caller gives it the
//! lock sets and a callback `execute(i)`, the way Aptos' block executor is
//! generic over its VM. The crate depends on `baton-types` for keys and
//! messages only, never on the executor.
//!
//! # The algorithm: a dependency graph, dispatched without barriers
//!
//! **Build** ([`DependencyGraph::build`]). One sequential pass over the
//! batch keeps, per account, the last writer so far and the list of readers
//! since that writer. A read lock adds the edge *last writer → reader*; a
//! write lock adds *each reader since the last writer → writer* (or *last
//! writer → writer* if there were none) and then makes the writer the last
//! writer. Those edges imply every conflict's order transitively, and each
//! reader is consumed by at most one writer, so the pass is O(locks). A
//! per-transaction "last successor" mark merges the duplicate edges of pairs
//! that share several accounts. Edges are stored CSR-style: the whole batch
//! costs a few flat arrays and one table of accounts, no allocation per
//! transaction. The table is keyed by a 64-bit keyed hash of each account
//! key, its 8-byte slots holding half of it and one word of state (the last
//! writer, or the head of the readers list since), and a first pass hashes
//! every lock so that the second can prefetch the slots of the
//! transactions ahead: most accounts of a batch are new to it, and without
//! that each one cost a cache miss (a third of the build's time, by perf).
//! A tag collision would only order two transactions that could have run
//! together (see `AccountMap`).
//!
//! **Dispatch** ([`Dispatch::work`]). Each transaction has an atomic count of
//! unfinished predecessors. One long-lived worker runs on every pool thread
//! but one for the whole batch, not one rayon job per transaction, and the
//! calling thread joins as the last worker — in
//! [`Scheduler::run_graph_alongside`] after doing other work first (the
//! runtime prepares the next wave), so the batch and the caller's work never
//! run more threads than the scheduler has. Before each transaction a worker
//! may name what it expects to run next (the successor only it holds back,
//! the next root) so that the caller can prefetch their accounts
//! ([`Scheduler::run_graph_with_hint`]). A worker takes, in this order:
//!
//! 1. the successor its previous transaction just released — run inline, on
//!    the same thread, with no hand-off: a chain of dependent transactions
//!    flows through one core at loop speed;
//! 2. roots (transactions with no predecessor), claimed a chunk at a time
//!    from a shared cursor, each chunk the roots left divided by twice the
//!    worker count (guided self-scheduling: few claims, and single roots at
//!    the end for balance) — a conflict-free batch never touches a queue;
//! 3. the ready queue, where a completion that releases several successors
//!    puts all but the first (fan-out, e.g. a write followed by many reads);
//! 4. nothing: it publishes how many transactions it finished, polls the
//!    queue's length hint within a bounded back-off (see "Waiting and
//!    contention" below), then sleeps on a condvar.
//!
//! When a transaction finishes, its worker decrements each successor's
//! counter (`fetch_sub`, AcqRel); the decrement that reaches zero owns the
//! successor. There is no global barrier anywhere: a transaction starts the
//! moment its last predecessor finishes, whatever the rest of the batch is
//! doing. Completion counts are kept per worker and added to the shared
//! counter only when a worker runs dry, so a busy batch shares no counter
//! per transaction; the worker whose count brings the total to the batch
//! length closes the queue, which releases the sleepers.
//!
//! **A batch in waves** ([`Scheduler::run_graphs_alongside_local`]). A
//! caller that builds a batch's graphs up front, one per wave (the runtime
//! does so on 8 threads or more, building them side by side), runs them
//! one after the other: the pool's workers are sent once and stay, and
//! between two waves they wait at a [`Gate`] (the same back-off, then a
//! park) that the calling thread opens as soon as a wave has finished.
//! Sending the workers again for each wave cost each of them a rayon
//! wake-up, 40–130 µs on the 16-core device VM — more than a wave of 600
//! transfers takes at 16 threads. A crew per wave tells the calling thread
//! when every worker has handed over its results of the previous wave.
//!
//! Between batches the pool's threads are rayon's, which sleep soon after
//! they run dry; [`Scheduler::linger`] keeps them spinning for a while
//! after a batch, until the next work arrives through the scheduler, so
//! that a caller sending batches back to back does not pay a wake-up at
//! the start of each (the runtime lingers a quarter of a batch's time, at
//! most 1 ms).
//!
//! # Waiting and contention
//!
//! Spinning is only cheap while every spinning thread has a core of its
//! own. Beside other CPU-bound processes (a validator's other threads, a
//! test runner's other suites) a spinning waiter takes time from the very
//! thread it waits for, and a wave stalls whenever one of its threads is
//! descheduled: with two such processes on the project's 2-core VM, two
//! threads ran at 0.24–0.50× the speed of one. Two rules keep that from
//! happening.
//!
//! **No spin that can starve.** Every wait — an idle worker looking for a
//! ready transaction, the caller waiting for the wave's helpers to leave
//! ([`Crew::wait_all_left`]) — goes through one back-off: a few rounds of
//! doubling CPU hints (about a hundred in all), then yields, until 50 µs of
//! wall-clock time have passed, then a park on a condvar that the thread
//! it waits for signals. The budget is time, not rounds, so a waiter that
//! loses its core for a time slice has spent it on its return and parks at
//! once. Lost wake-ups are excluded the usual way (the waiter checks and
//! registers under the lock the waker takes), and loom checks both parks.
//! [`Scheduler::linger`], the one deliberate spin, is bounded by its
//! deadline, yields the core every few microseconds, and is skipped while
//! the fallback below is on.
//!
//! **Serial fallback.** The calling thread measures every parallel run it
//! takes part in (and a chain it runs while a pool thread does its side
//! work): its wall time, the caller's side work, how many
//! transactions the caller ran and for how long (the clock is read around
//! waits only, never per transaction). Against that it estimates what the
//! same work would have cost on the caller alone — the side work plus the
//! batch at the lowest recent cost per transaction — and keeps a running
//! debt of the difference, floored at a 4 ms credit: what one stall behind
//! a descheduled helper costs (0.4–3.2 ms lost on a quiet VM, 0.5–8 ms
//! beside CPU-bound processes). When stalls outrun the gains and push the
//! debt past 0.5 ms, then for a window of 8 ms every batch runs on the
//! calling thread alone (after its side work), the pool asleep and not
//! lingering; a caller that asks [`Scheduler::serial_for_now`] before a
//! batch can run the whole batch its own serial way instead (the runtime
//! takes its one-thread path, stage 1 and admission included, and times it
//! with [`Scheduler::run_serially`]), and [`hold_serial_for`] opens such a
//! window on purpose. When the window ends, parallel runs resume as a
//! probe; a window that follows too soon is four times the last, up to
//! 512 ms, and each stretch of paying parallel runs as long as the last
//! window steps it back down. The record is one per process (contention is
//! the host's), in `contention.rs`. On a quiet machine a window opens
//! rarely (a wave gains ~200 µs against its serial estimate, and a lone
//! preemption is paid from the credit: 0–3 windows, median 0, per second
//! of parallel batches on the dev VM); beside two CPU-bound processes the
//! probes cost a few percent.
//!
//! The choice is safe by construction: both paths run every transaction
//! once with every conflicting pair in batch order, so the outcome is the
//! serial one whichever is taken, and timing decides only which. The
//! decision state is plain relaxed atomics read as hints; it needs no
//! model, because no value of it, however stale, can make a run incorrect.
//! [`Scheduler::with_serial_fallback`] and [`set_serial_fallback`] turn
//! the fallback off for tests of the parallel path.
//!
//! # Why this design
//!
//! The alternative is level-by-level execution: group the batch into
//! conflict-free levels and run each with a parallel loop and a barrier
//! between levels (what a simple `par_iter` per level gives). It is easy,
//! but every level waits for its slowest transaction, and a batch with a hot
//! account has as many levels as writers of that account, so a long chain
//! pays one barrier (a few µs of wake-ups) per transaction and ends up
//! slower than a serial loop. The graph schedule has the same build cost,
//! no barriers, and runs each transaction as soon as it can run; it is what
//! Agave's unified scheduler does at the account level. Block-STM (Aptos)
//! goes further and executes optimistically without declared accounts, but
//! Solana-style transactions declare their accounts, so the exact graph is
//! available for free and no validation or re-execution is needed.
//!
//! The cases that matter for throughput are then cheap by construction:
//!
//! * **No conflicts**: the graph has no edges, workers claim roots in chunks
//!   and never share anything else.
//! * **One hot account**: every transaction depends on the one before, which
//!   the build pass notices ([`DependencyGraph::is_chain`]); the batch (or
//!   wave) then runs as a plain loop on the calling thread without waking
//!   the pool. A partial chain still runs inline, one worker per chain.
//! * **One thread**: [`Scheduler::run`] is a plain in-order loop; no graph
//!   is built.
//!
//! # Cost
//!
//! `benches/schedule.rs` measures the scheduler alone (trivial callback).
//! On the project's shared 2-core VM: building the graph of 10k
//! three-account transactions takes ~27–30 ns per transaction (~44 ns at
//! 100k, where the account map no longer fits in cache). A graph's build
//! is sequential, so below [`PIPELINED_BELOW_THREADS`] threads
//! [`Scheduler::run`] builds a long batch's graph a wave of [`RUN_WAVE`]
//! at a time, the next wave's while the pool runs this one (a wave's map
//! stays in cache, so its build takes one pass over the locks): build
//! plus 2-thread dispatch of a 10k batch then takes ~24 ns per
//! transaction, a 10k hot-account batch ~26 ns (52 and 45 building the
//! whole graph first). The runtime does the same with its own waves
//! (where the build also reads each message's keys, ~340 instructions per
//! transfer),
//! and from 8 threads on, where one thread could not keep up, the waves'
//! graphs are built side by side, one per task
//! ([`Scheduler::build_graph_from`] takes a builder of its own per call).
//!
//! # Concurrency and its checks
//!
//! All shared state lives in [`Dispatch`], [`ReadyQueue`], [`Crew`] and
//! [`Gate`] and uses the
//! primitives of one private `sync` module, which re-exports std's normally
//! and loom's under `--cfg baton_loom` (crossbeam's pattern). The loom
//! models in `baton-loom-tests` drive these very types — dependency
//! counters under concurrent completion, the queue's sleep/wake protocol,
//! the whole worker loop over small graphs, the caller's park on a
//! [`Crew`], the [`Gate`] between waves and a helper staying in a batch of
//! two waves — and check that no two writers of an account (or a writer
//! and a reader) ever overlap, within a wave or across two, that every
//! transaction runs exactly once, that no wake-up is lost and that nothing
//! deadlocks. A deliberately broken build (`--cfg baton_loom_broken`: a
//! non-atomic counter decrement, a crew park that checks the count outside
//! the lock, a gate that reads its parked count before storing the
//! opening, and a queue that counts its sleepers before the lock hold that
//! closes it) shows that the models do catch such bugs. The property test in this crate checks, for random
//! batches, that 1, 2, 4, 8 and 16 threads (more than a small machine's
//! cores, so workers are preempted mid-batch) give exactly the state and
//! the per-transaction observations of the serial run, and 2 threads with
//! the serial fallback on as well.

#![deny(unsafe_code)]

mod contention;
mod dispatch;
mod graph;
mod lock_set;
mod scheduler;
mod sync;
mod waves;

pub use baton_types::Pubkey;
pub use contention::{hold_serial_for, set_serial_fallback};
pub use dispatch::{Crew, CrewMember, Dispatch, Gate, ReadyQueue, ShutOnDrop, WorkerEffort};
pub use graph::{DependencyGraph, GraphBuilder, MAX_BATCH_LEN};
pub use lock_set::{
    validate_account_lock_lists, validate_account_locks, AccountLock, LockMode, LockSet,
    DEFAULT_ACCOUNT_LOCK_LIMIT, MAX_ACCOUNT_LOCK_LIMIT,
};
pub use scheduler::{Scheduler, SchedulerError, PIPELINED_BELOW_THREADS, RUN_WAVE};
