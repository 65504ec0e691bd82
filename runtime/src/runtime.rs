//! The [`Runtime`]: builder, account access and the batch pipeline.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baton_accounts_db::{AccountsStore, DurableAccounts, InMemoryAccounts, StateHash, StoreError};
use baton_executor::sysvar::{
    FeeCalculator, RecentBlockhashEntry, SysvarError, MAX_RECENT_BLOCKHASHES,
};
use baton_executor::{
    process_instruction, process_message, Environment, ExecutionConfig, InstructionOutcome,
    Program, ProgramRegistry, SysvarCache,
};
use baton_scheduler::{validate_account_locks, AccountLock, DependencyGraph, LockMode, Scheduler};
use baton_types::{
    ids, signing, wire, Account, Hash, Instruction, Pubkey, Signature, Transaction,
    TransactionError,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::history::SignatureHistory;

/// Default most accounts one transaction may lock (Agave's limit).
pub const DEFAULT_ACCOUNT_LOCK_LIMIT: usize = 64;
/// The largest account lock limit that may be configured.
pub const MAX_ACCOUNT_LOCK_LIMIT: usize = 128;
/// Transactions verified per batch-verification call.
const SIGVERIFY_CHUNK: usize = 64;

/// The blockhash every new runtime starts with.
pub fn genesis_blockhash() -> Hash {
    Hash::hashv(&[b"baton genesis"])
}

/// What happened to one transaction of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionResult {
    /// The transaction's first signature (its id).
    pub signature: Signature,
    /// `Ok`, or why it failed or was rejected.
    pub status: Result<(), TransactionError>,
    /// Log lines, also for a failed transaction (empty when log collection is off).
    pub logs: Vec<String>,
    /// Compute units consumed, also for a failed transaction.
    pub compute_units_consumed: u64,
    /// Lamports charged: the fee for an executed transaction, failed or not;
    /// zero for a rejected one.
    pub fee: u64,
    /// Return data left by the transaction, if any.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// The program whose revert failed the transaction (cpi-semantics §8),
    /// if one did; the status then holds its `Custom` code.
    pub reverted_by: Option<Pubkey>,
}

impl TransactionResult {
    fn rejected(tx: &Transaction, err: TransactionError) -> Self {
        Self {
            signature: tx.signature().copied().unwrap_or_default(),
            status: Err(err),
            logs: Vec::new(),
            compute_units_consumed: 0,
            fee: 0,
            return_data: None,
            reverted_by: None,
        }
    }
}

/// Engine faults: storage and configuration problems, never transaction failures.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The account store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A sysvar account holds data that does not decode.
    #[error(transparent)]
    Sysvar(#[from] SysvarError),
    /// An airdrop would overflow the account's balance.
    #[error("airdrop of {lamports} lamports to {key} overflows its balance")]
    LamportsOverflow {
        /// The account.
        key: Pubkey,
        /// The amount.
        lamports: u64,
    },
    /// The account lock limit is out of range.
    #[error("account lock limit {0} is out of range 1..={MAX_ACCOUNT_LOCK_LIMIT}")]
    LockLimit(usize),
}

/// How many transactions ahead admission prefetches the history's slots.
const HISTORY_AHEAD: usize = 8;

/// The longest a parallel batch keeps the pool's threads spinning after it
/// (a quarter of its own duration, at most this; see [`Scheduler::linger`]).
const MAX_LINGER: Duration = Duration::from_millis(1);

/// The pool lingers only after a parallel batch longer than this: a shorter
/// one is over in tens of microseconds, and a quarter of that saves little.
const LINGER_AFTER: usize = 128;

/// Transactions per wave of a parallel batch: admission and graph building
/// of one wave overlap the execution of the previous one.
const WAVE: usize = 1024;

/// The in-order checks after signature verification: account locks,
/// blockhash, and the signature against the history (which also holds the
/// earlier transactions of this batch).
struct Admission<'a> {
    /// Whether stage 1 already sanitized the transactions.
    sanitized: bool,
    lock_limit: usize,
    blockhash_check: bool,
    blockhashes: &'a VecDeque<Hash>,
    history: Option<&'a mut SignatureHistory>,
    /// Admitted transactions the executor refused, to forget at the end.
    refused: Vec<usize>,
}

impl Admission<'_> {
    fn admit(&mut self, tx: &Transaction) -> Result<(), TransactionError> {
        if !self.sanitized {
            wire::sanitize_transaction(tx).map_err(TransactionError::from)?;
        }
        validate_account_locks(&tx.message.account_keys, self.lock_limit)?;
        if self.blockhash_check && !self.blockhashes.contains(&tx.message.recent_blockhash) {
            return Err(TransactionError::BlockhashNotFound);
        }
        if let Some(history) = &mut self.history {
            if !history.insert(tx) {
                return Err(TransactionError::AlreadyProcessed);
            }
        }
        Ok(())
    }

    /// Admit the wave of `txs` starting at `start`, given its stage-1
    /// verdicts, and (given a scheduler) build the dependency graph of the
    /// admitted ones.
    fn prepare(
        &mut self,
        txs: &[Transaction],
        start: usize,
        mut verdicts: Vec<Option<TransactionError>>,
        scheduler: Option<&Scheduler>,
    ) -> Wave {
        let wave = txs.get(start..start + verdicts.len()).unwrap_or(&[]);
        for (n, (tx, v)) in wave.iter().zip(verdicts.iter_mut()).enumerate() {
            if let (Some(history), Some(ahead)) = (&self.history, wave.get(n + HISTORY_AHEAD)) {
                history.prefetch(ahead);
            }
            if v.is_none() {
                *v = self.admit(tx).err();
            }
        }
        let accepted: Vec<usize> = (0..verdicts.len())
            .filter(|&j| verdicts[j].is_none())
            .map(|j| start + j)
            .collect();
        // A wave too long to index runs serially, which is always valid.
        let graph = scheduler.and_then(|s| {
            let total: usize = accepted
                .iter()
                .map(|&i| txs[i].message.account_keys.len())
                .sum();
            // Reserved accounts (builtins, sysvars) are never writable in a
            // transaction, so their read locks can conflict with nothing:
            // leaving them out gives the same graph for less work.
            s.build_graph_from(accepted.len(), total, |j| {
                let message = accepted.get(j).map(|&i| &txs[i].message);
                message.into_iter().flat_map(|m| {
                    m.account_keys
                        .iter()
                        .enumerate()
                        .filter(|(_, key)| !ids::is_reserved(key))
                        .map(move |(k, key)| AccountLock {
                            key: *key,
                            mode: LockMode::from_writable(m.is_writable(k)),
                        })
                })
            })
            .ok()
        });
        Wave {
            start,
            verdicts,
            accepted,
            graph,
        }
    }

    /// Forget the signatures of the admitted transactions the executor refused.
    fn forget_refused(&mut self, txs: &[Transaction]) {
        if let Some(h) = &mut self.history {
            for &i in &self.refused {
                if let Some(tx) = txs.get(i) {
                    h.forget(tx);
                }
            }
        }
    }

    /// [`collect`](Self::collect) a wave that ran with the outbox lists of
    /// `parity`; `gathered` is scratch kept across waves.
    fn collect_from(
        &mut self,
        outbox: &Outbox,
        parity: usize,
        txs: &[Transaction],
        wave: Wave,
        gathered: &mut Vec<Option<Executed>>,
        results: &mut Vec<TransactionResult>,
    ) {
        outbox.gather(parity, wave.start, wave.verdicts.len(), gathered);
        self.collect(
            txs,
            wave,
            |j| gathered.get_mut(j).and_then(Option::take),
            results,
        );
    }

    /// Append the results of an executed wave, in batch order. For each
    /// admitted transaction, in order, `executed(j)` gives the result of the
    /// wave's `j`th transaction (`None` if it never ran).
    fn collect(
        &mut self,
        txs: &[Transaction],
        wave: Wave,
        mut executed: impl FnMut(usize) -> Option<Executed>,
        results: &mut Vec<TransactionResult>,
    ) {
        for (j, verdict) in wave.verdicts.into_iter().enumerate() {
            let i = wave.start + j;
            let Some(tx) = txs.get(i) else {
                continue;
            };
            results.push(match verdict {
                Some(e) => TransactionResult::rejected(tx, e),
                None => {
                    let (r, was_executed) = match executed(j) {
                        Some(done) => done.into_result(tx),
                        None => (
                            TransactionResult::rejected(tx, TransactionError::CommitCancelled),
                            false,
                        ),
                    };
                    // Admission recorded the signature; it is forgotten at
                    // the end of the batch when the executor refused the
                    // transaction (fee payer unable to pay), so it may be
                    // sent again once it can, as in Agave. Not before: a
                    // later duplicate in this batch must see it whatever the
                    // thread count.
                    if !was_executed {
                        self.refused.push(i);
                    }
                    r
                }
            });
        }
    }
}

/// The sizes of a parallel batch's first waves, before waves of [`WAVE`].
/// Admitting a transaction and adding it to the graph takes about a quarter
/// of the time executing it does, so a wave four times the size of the one
/// executing can be admitted meanwhile; the first wave, admitted before
/// anything can run, is short. (From a first wave of 128 straight to 1,024,
/// this ramp took 0.5–0.7% off a 2-thread batch.)
const RAMP: [usize; 3] = [WAVE / 32, WAVE / 8, WAVE / 2];

/// `(start, end)` of each wave of a batch of `n`: the [`RAMP`], then waves
/// of [`WAVE`].
fn wave_bounds(n: usize) -> impl Iterator<Item = (usize, usize)> {
    let mut sizes = RAMP.into_iter().chain(std::iter::repeat(WAVE));
    let mut start = 0;
    std::iter::from_fn(move || {
        let end = n.min(start + sizes.next()?);
        let bounds = (start < n).then_some((start, end));
        start = end;
        bounds
    })
}

/// What executing one transaction gave, in a compact record (72 bytes
/// against 208 for a [`TransactionResult`]): the signature is taken from the
/// transaction when the result is built, and the fields that are rarely set
/// are boxed. Threads hand these to the calling thread, so every byte saved
/// is a byte less to move between cores.
struct Executed {
    /// Whether the executor ran the transaction (false: it refused it, say
    /// for a fee payer unable to pay; the status says why).
    executed: bool,
    status: Result<(), TransactionError>,
    compute_units_consumed: u64,
    fee: u64,
    logs: Vec<String>,
    rare: Option<Box<RareOutcome>>,
}

/// The parts of a result most transactions do not have.
struct RareOutcome {
    return_data: Option<(Pubkey, Vec<u8>)>,
    reverted_by: Option<Pubkey>,
}

impl Executed {
    fn refused(err: TransactionError) -> Self {
        Self {
            executed: false,
            status: Err(err),
            compute_units_consumed: 0,
            fee: 0,
            logs: Vec::new(),
            rare: None,
        }
    }

    /// The full result for `tx`, and whether it was executed.
    fn into_result(self, tx: &Transaction) -> (TransactionResult, bool) {
        let (return_data, reverted_by) = match self.rare {
            Some(rare) => (rare.return_data, rare.reverted_by),
            None => (None, None),
        };
        let result = TransactionResult {
            signature: tx.signature().copied().unwrap_or_default(),
            status: self.status,
            logs: self.logs,
            compute_units_consumed: self.compute_units_consumed,
            fee: self.fee,
            return_data,
            reverted_by,
        };
        (result, self.executed)
    }
}

/// An executed transaction waiting to be collected, with its batch index.
struct Finished {
    index: usize,
    done: Executed,
}

/// Where the threads running a batch leave results for the calling thread.
/// Each thread collects its results in a list of its own while it works on
/// a wave (the scheduler passes it to every call: no lock, no cache line
/// another core writes) and hands the list over, once, when it leaves the
/// wave; the calling thread drains a wave's lists after the wave, while the
/// next wave hands its lists to the other parity. Drained lists are kept
/// for reuse.
///
/// It replaced a mutex slot per transaction, then a list per thread behind
/// a mutex taken per transaction: each step took a few percent off a
/// 2-thread batch (the locked instruction also waits for the transaction's
/// pending stores, which go to lines the other core holds).
#[derive(Default)]
struct Outbox {
    /// Per wave parity, the lists threads handed over.
    handed: [parking_lot::Mutex<Vec<Vec<Finished>>>; 2],
    /// Drained lists, with their capacity.
    spare: parking_lot::Mutex<Vec<Vec<Finished>>>,
}

impl Outbox {
    /// An empty list for a thread joining a wave.
    fn list(&self) -> Vec<Finished> {
        self.spare.lock().pop().unwrap_or_default()
    }

    /// A thread's results of a wave of `parity`.
    fn hand(&self, parity: usize, list: Vec<Finished>) {
        if list.is_empty() {
            self.spare.lock().push(list);
        } else {
            self.handed[parity % 2].lock().push(list);
        }
    }

    /// Take the results of `parity` for the batch indices `start..start +
    /// len` into `gathered`, by index (`None` where none was left).
    fn gather(
        &self,
        parity: usize,
        start: usize,
        len: usize,
        gathered: &mut Vec<Option<Executed>>,
    ) {
        gathered.clear();
        gathered.resize_with(len, || None);
        let lists = std::mem::take(&mut *self.handed[parity % 2].lock());
        for mut list in lists {
            for f in list.drain(..) {
                if let Some(slot) = f.index.checked_sub(start).and_then(|j| gathered.get_mut(j)) {
                    *slot = Some(f.done);
                }
            }
            self.spare.lock().push(list);
        }
    }
}

/// One wave of a batch: its first batch index, every transaction's
/// verdict before execution, the admitted ones (batch indices) and their graph.
struct Wave {
    start: usize,
    verdicts: Vec<Option<TransactionError>>,
    accepted: Vec<usize>,
    graph: Option<DependencyGraph>,
}

impl Wave {
    /// Run the wave's accepted transactions on the scheduler's threads while
    /// the calling thread does `side` and then helps (see
    /// [`Scheduler::run_graph_alongside`]): by the wave's graph when it has
    /// one, else in order after `side`. `prefetch(i)` is told of transaction `i` shortly
    /// before the same thread likely runs it. Returns what `side` returned.
    fn execute_alongside<R: Send>(
        &mut self,
        scheduler: &Scheduler,
        outbox: &Outbox,
        parity: usize,
        run_one: &(dyn Fn(&mut Vec<Finished>, usize) + Sync),
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

/// The Baton engine: an account store, programs, sysvars, and a batch
/// pipeline that runs transactions in parallel with serial semantics.
pub struct Runtime {
    store: Arc<dyn AccountsStore>,
    programs: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
    sigverify: bool,
    blockhash_check: bool,
    history: Option<SignatureHistory>,
    /// Signatures per blockhash the history makes room for ahead (0: grow).
    history_capacity: usize,
    blockhashes: VecDeque<Hash>,
    lock_limit: usize,
    threads: usize,
    scheduler: Option<Scheduler>,
    store_errors: Vec<StoreError>,
    /// Copies of the accounts at reserved ids (builtin programs, sysvars).
    /// No transaction can write them — reserved ids are never writable — so
    /// transactions read them here instead of taking a store lock that every
    /// worker would contend for. Refreshed whenever the runtime writes one.
    reserved: FxHashMap<Pubkey, Account>,
    /// The result lists of parallel batches, kept with their capacity from
    /// one batch to the next.
    outbox: Option<Outbox>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("accounts", &self.store.len())
            .field("programs", &self.programs)
            .field("sigverify", &self.sigverify)
            .field("blockhash_check", &self.blockhash_check)
            .field("history", &self.history.is_some())
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime with an empty in-memory store, the builtin programs (system
    /// and token) and
    /// sysvars, signature checks, blockhash checks and transaction history
    /// on, log collection on, and one worker thread per core.
    pub fn new() -> Self {
        Self::with_store(Arc::new(InMemoryAccounts::new()))
    }

    /// Move this runtime onto the durable store file at `path` (created
    /// when absent, reopened with its accounts when present): every account
    /// of the current store (builtin programs, sysvars and whatever was set
    /// so far) is written over the file's and made durable, and the file's
    /// other accounts are kept. Call it right after [`Runtime::new`] and the
    /// `with_*` settings. Each batch then commits atomically (see
    /// [`Runtime::execute_batch`]); reopening the file gives the same
    /// accounts and state hash. The runtime's blockhashes, slot and
    /// signature history are not stored.
    ///
    /// # Errors
    ///
    /// [`RuntimeError::Store`] when the file cannot be opened or written
    /// (see [`DurableAccounts::open`]).
    pub fn with_storage(self, path: impl AsRef<Path>) -> Result<Self, RuntimeError> {
        self.with_storage_options(path, baton_accounts_db::DurableOptions::default())
    }

    /// [`Runtime::with_storage`] with `options` for the durable store, such
    /// as a page cache small enough to run a state larger than memory (see
    /// [`DurableOptions`](baton_accounts_db::DurableOptions)).
    ///
    /// # Errors
    ///
    /// As [`Runtime::with_storage`].
    pub fn with_storage_options(
        mut self,
        path: impl AsRef<Path>,
        options: baton_accounts_db::DurableOptions,
    ) -> Result<Self, RuntimeError> {
        let store: Arc<dyn AccountsStore> = Arc::new(DurableAccounts::open_with(path, &options)?);
        let mut current = Vec::with_capacity(self.store.len());
        self.store
            .for_each_account(&mut |k, a| current.push((k, a)))?;
        store.commit(&current)?;
        store.end_batch()?;
        self.store = store;
        let reserved: Vec<Pubkey> = self.reserved.keys().copied().collect();
        for key in &reserved {
            self.refresh_reserved(key);
        }
        Ok(self)
    }

    /// A runtime over `store`. Builtin program and sysvar accounts are
    /// written into it.
    pub fn with_store(store: Arc<dyn AccountsStore>) -> Self {
        let genesis = genesis_blockhash();
        let mut rt = Self {
            store,
            programs: ProgramRegistry::new(),
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
            sigverify: true,
            blockhash_check: true,
            history: Some(SignatureHistory::default()),
            history_capacity: 0,
            blockhashes: VecDeque::from([genesis]),
            lock_limit: DEFAULT_ACCOUNT_LOCK_LIMIT,
            threads: 0,
            scheduler: None,
            store_errors: Vec::new(),
            reserved: FxHashMap::default(),
            outbox: None,
        };
        rt.sync_recent_blockhashes();
        rt.add_builtin(
            ids::SYSTEM_PROGRAM,
            Arc::new(baton_programs::system::SystemProgram),
        );
        rt.add_builtin(
            ids::TOKEN_PROGRAM,
            Arc::new(baton_programs::token::TokenProgram),
        );
        rt
    }

    // ----- builder -----

    /// Check transaction signatures (on by default). Off is for benchmarks
    /// and tests that build unsigned transactions.
    pub fn with_sigverify(mut self, on: bool) -> Self {
        self.sigverify = on;
        self
    }

    /// Reject transactions whose recent blockhash is unknown (on by default).
    pub fn with_blockhash_check(mut self, on: bool) -> Self {
        self.blockhash_check = on;
        self
    }

    /// Reject transactions whose signature was already processed (on by default).
    pub fn with_transaction_history(mut self, on: bool) -> Self {
        self.history = on.then(SignatureHistory::default);
        self.prepare_history();
        self
    }

    /// Make room in the signature history for `signatures` transactions per
    /// blockhash ahead of time (0, the default: the history grows as it
    /// fills). The table of the current blockhash is allocated and written
    /// now, and the table of each new blockhash when
    /// [`expire_blockhash`](Self::expire_blockhash) makes it current
    /// (reusing the memory of the one that expired), so that no batch
    /// waits on a table growing: without it, the batch that crosses a size
    /// doubling rehashes every signature recorded so far under its
    /// blockhash (1.3 ms at 131,072 of them on the project's VM) and maps
    /// the bigger table's pages.
    ///
    /// Each live blockhash (up to 151) keeps its own table of 37 to 73
    /// bytes per signature of capacity (a power-of-two number of 16-byte
    /// slots), so size it for the transactions one blockhash really sees.
    /// Transactions beyond it are still recorded (the table grows then),
    /// and so are those naming an older blockhash.
    pub fn with_history_capacity(mut self, signatures: usize) -> Self {
        self.history_capacity = signatures;
        self.prepare_history();
        self
    }

    /// Make the history's room for the current blockhash.
    fn prepare_history(&mut self) {
        let current = self.latest_blockhash();
        if let Some(h) = &mut self.history {
            h.prepare(current, self.history_capacity);
        }
    }

    /// Collect log lines (on by default).
    pub fn with_log_collection(mut self, on: bool) -> Self {
        self.config.collect_logs = on;
        self
    }

    /// Worker threads for the scheduler and signature checks; 0 means one per core.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self.scheduler = None;
        self
    }

    /// Replace the execution limits (compute, depth, fees, logs).
    pub fn with_config(mut self, config: ExecutionConfig) -> Self {
        self.config = config;
        self
    }

    /// Most accounts a transaction may lock (64 by default, at most 128).
    pub fn with_account_lock_limit(mut self, limit: usize) -> Result<Self, RuntimeError> {
        if limit == 0 || limit > MAX_ACCOUNT_LOCK_LIMIT {
            return Err(RuntimeError::LockLimit(limit));
        }
        self.lock_limit = limit;
        Ok(self)
    }

    /// Register `program` at `id` and give it an executable account.
    pub fn with_program(mut self, id: Pubkey, program: Arc<dyn Program>) -> Self {
        self.add_program(id, program);
        self
    }

    // ----- accounts and programs -----

    /// Register `program` at `id` and store an executable program account
    /// for it, replacing whatever was at `id`.
    pub fn add_program(&mut self, id: Pubkey, program: Arc<dyn Program>) {
        self.add_builtin(id, program);
    }

    fn add_builtin(&mut self, id: Pubkey, program: Arc<dyn Program>) {
        self.programs.add(id, program);
        let account = Account {
            lamports: 1,
            data: Vec::new(),
            owner: ids::NATIVE_LOADER,
            executable: true,
            rent_epoch: 0,
        };
        self.record_store_result(self.store.commit(&[(id, account)]));
        self.record_store_result(self.store.end_batch());
        self.refresh_reserved(&id);
    }

    /// Re-read the copy of a reserved account after the runtime wrote it.
    fn refresh_reserved(&mut self, key: &Pubkey) {
        if !ids::is_reserved(key) {
            return;
        }
        match self.store.load(key) {
            Some(a) => self.reserved.insert(*key, a),
            None => self.reserved.remove(key),
        };
    }

    /// Set the account at `key`. An account with zero lamports is removed.
    pub fn set_account(&mut self, key: Pubkey, account: Account) -> Result<(), RuntimeError> {
        self.store.commit(&[(key, account)])?;
        self.store.end_batch()?;
        self.refresh_reserved(&key);
        if ids::is_sysvar(&key) {
            self.sysvars = SysvarCache::from_accounts(|k| self.store.load(k))?;
        }
        Ok(())
    }

    /// The account at `key`, if it exists.
    pub fn account(&self, key: &Pubkey) -> Option<Account> {
        self.store.load(key)
    }

    /// The balance of `key` (0 if absent).
    pub fn balance(&self, key: &Pubkey) -> u64 {
        self.store.load_lamports(key).unwrap_or(0)
    }

    /// Credit `lamports` to `key`, creating a system account if absent.
    pub fn airdrop(&mut self, key: &Pubkey, lamports: u64) -> Result<(), RuntimeError> {
        let mut account = self
            .store
            .load(key)
            .unwrap_or_else(|| Account::new(0, 0, &ids::SYSTEM_PROGRAM));
        account.lamports =
            account
                .lamports
                .checked_add(lamports)
                .ok_or(RuntimeError::LamportsOverflow {
                    key: *key,
                    lamports,
                })?;
        self.store.commit(&[(*key, account)])?;
        self.store.end_batch()?;
        self.refresh_reserved(key);
        Ok(())
    }

    /// The account store.
    pub fn store(&self) -> &Arc<dyn AccountsStore> {
        &self.store
    }

    /// The registered programs.
    pub fn programs(&self) -> &ProgramRegistry {
        &self.programs
    }

    /// The sysvars transactions currently see.
    pub fn sysvars(&self) -> &SysvarCache {
        &self.sysvars
    }

    /// The execution limits.
    pub fn config(&self) -> &ExecutionConfig {
        &self.config
    }

    /// The hash of the whole account state (see `baton_accounts_db`).
    pub fn state_hash(&self) -> StateHash {
        self.store.state_hash()
    }

    /// Save every account to a snapshot file, atomically replacing `path`.
    pub fn save_snapshot(&self, path: &Path) -> Result<(), RuntimeError> {
        baton_accounts_db::save_snapshot(&*self.store, path)?;
        Ok(())
    }

    /// Storage faults met since the last call (commits that failed; their
    /// transactions were reported as `CommitCancelled`).
    pub fn take_store_errors(&mut self) -> Vec<StoreError> {
        std::mem::take(&mut self.store_errors)
    }

    fn record_store_result(&mut self, r: Result<(), StoreError>) {
        if let Err(e) = r {
            self.store_errors.push(e);
        }
    }

    // ----- blockhashes and clock -----

    /// The newest blockhash, for new transactions.
    pub fn latest_blockhash(&self) -> Hash {
        self.blockhashes.front().copied().unwrap_or_default()
    }

    /// Advance to a new blockhash and slot; the oldest of more than 150
    /// recent blockhashes expires.
    pub fn expire_blockhash(&mut self) {
        let next = Hash::hashv(&[b"baton blockhash", &self.latest_blockhash().0]);
        self.blockhashes.push_front(next);
        if self.blockhashes.len() > MAX_RECENT_BLOCKHASHES {
            for expired in self.blockhashes.drain(MAX_RECENT_BLOCKHASHES..) {
                // A transaction naming an expired blockhash is refused
                // before its signature is looked at, so its history can go
                // (unless blockhash checks are off, when nothing expires).
                if self.blockhash_check {
                    if let Some(h) = &mut self.history {
                        h.expire(&expired);
                    }
                }
            }
        }
        self.prepare_history();
        self.sysvars.clock.slot += 1;
        self.sync_recent_blockhashes();
    }

    fn sync_recent_blockhashes(&mut self) {
        let fee_calculator = FeeCalculator {
            lamports_per_signature: self.config.lamports_per_signature,
        };
        self.sysvars.recent_blockhashes.0 = self
            .blockhashes
            .iter()
            .map(|h| RecentBlockhashEntry {
                blockhash: *h,
                fee_calculator,
            })
            .collect();
        let accounts = self.sysvars.to_accounts();
        self.record_store_result(self.store.commit(&accounts));
        self.record_store_result(self.store.end_batch());
        for (key, _) in &accounts {
            self.refresh_reserved(key);
        }
    }

    // ----- execution -----

    /// Run one instruction against `accounts` without a transaction, fee or
    /// store, the way Mollusk tests an instruction; the store is untouched.
    pub fn process_instruction(
        &self,
        instruction: &Instruction,
        accounts: &[(Pubkey, Account)],
    ) -> InstructionOutcome {
        process_instruction(
            accounts,
            instruction,
            self.config.units_per_instruction,
            self.env(),
        )
    }

    /// Execute one transaction.
    pub fn send_transaction(&mut self, tx: Transaction) -> TransactionResult {
        let mut r = self.execute_batch(std::slice::from_ref(&tx));
        r.pop()
            .unwrap_or_else(|| TransactionResult::rejected(&tx, TransactionError::SanitizeFailure))
    }

    fn env(&self) -> Environment<'_> {
        Environment {
            programs: &self.programs,
            sysvars: &self.sysvars,
            config: &self.config,
        }
    }

    fn ensure_scheduler(&mut self) {
        if self.scheduler.is_none() {
            // A pool that cannot start leaves the batch to run serially on
            // the caller's thread: slower, but the same results.
            self.scheduler = Scheduler::new(self.threads).ok();
        }
    }

    /// Execute `txs` as if one at a time in order, in parallel where they
    /// do not conflict, and commit their changes. One result per transaction.
    ///
    /// The pipeline: sanitize; verify signatures (in parallel, batched);
    /// validate account locks; check the blockhash and the signature history;
    /// then schedule the accepted transactions by their lock sets and execute
    /// each, committing its changes as it finishes.
    ///
    /// At the end the store's [`AccountsStore::end_batch`] runs once: with a
    /// durable store ([`Runtime::with_storage`]) the whole batch becomes
    /// durable in one transaction when this returns with no new
    /// [`Runtime::take_store_errors`]; if that write fails, the error is
    /// recorded there, the batch stays visible but not durable, and the next
    /// successful batch makes both durable together.
    ///
    /// After a batch of more than 128 transactions on several threads, the
    /// pool's threads keep spinning for a quarter of the batch's duration
    /// (at most 1 ms) before they sleep, so that a batch sent right after
    /// starts on all of them at once instead of waiting for them to wake
    /// (see [`Scheduler::linger`]).
    pub fn execute_batch(&mut self, txs: &[Transaction]) -> Vec<TransactionResult> {
        let started = Instant::now();
        self.ensure_scheduler();
        // Stage 1, stateless and parallel: sanitize, then verify signatures.
        let sigverify = self.sigverify;
        let check_chunk = |chunk: &[Transaction]| -> Vec<Option<TransactionError>> {
            let mut verdicts: Vec<Option<TransactionError>> = chunk
                .iter()
                .map(|tx| wire::sanitize_transaction(tx).err().map(Into::into))
                .collect();
            if sigverify {
                for (v, sig) in verdicts.iter_mut().zip(signing::verify_batch(chunk)) {
                    if v.is_none() {
                        *v = sig.err();
                    }
                }
            }
            verdicts
        };
        // Without signature checks, sanitizing is cheap enough to leave to
        // the in-order admission of each wave (`Admission::prepare`), and
        // there is no stage 1 (`None`).
        let pre: Option<Vec<Option<TransactionError>>> = match &self.scheduler {
            _ if !sigverify => None,
            Some(s) if s.threads() > 1 => Some(s.pool().install(|| {
                txs.par_chunks(SIGVERIFY_CHUNK)
                    .flat_map_iter(check_chunk)
                    .collect()
            })),
            _ => Some(txs.chunks(SIGVERIFY_CHUNK).flat_map(check_chunk).collect()),
        };
        // The stage-1 verdicts of the wave `start..end`.
        let stage_one = |start: usize, end: usize| match &pre {
            Some(verdicts) => verdicts[start..end].to_vec(),
            None => vec![None; end - start],
        };

        // Stage 2 (in batch order: account locks, blockhash, history; then
        // the dependency graph) and stage 3 (execution) run in waves. With
        // several threads they overlap: while the pool starts on wave k,
        // this thread admits wave k+1, builds its graph, collects wave k-1,
        // then joins wave k. A wave starts only when the previous one has
        // finished, so the batch still executes as if one transaction at a
        // time in order.
        let store_errors = Mutex::new(Vec::new());
        let results = {
            let Self {
                store,
                programs,
                sysvars,
                config,
                history,
                blockhashes,
                lock_limit,
                blockhash_check,
                scheduler,
                reserved,
                outbox: kept_outbox,
                ..
            } = self;
            let mut admission = Admission {
                sanitized: sigverify,
                lock_limit: *lock_limit,
                blockhash_check: *blockhash_check,
                blockhashes,
                history: history.as_mut(),
                refused: Vec::new(),
            };
            let outbox = kept_outbox.take().unwrap_or_default();
            let store: &dyn AccountsStore = &**store;
            let env = Environment {
                programs,
                sysvars,
                config,
            };
            let load = |k: &Pubkey| match reserved.get(k) {
                Some(a) => Some(a.clone()),
                None => store.load(k),
            };
            // Ask the store for the accounts of a transaction the thread will
            // run next, while it runs the current one (the next one in order,
            // or the next root of a worker's chunk): its lookups then hit the
            // cache instead of waiting on memory. Builtins and sysvars come
            // from `reserved`.
            let prefetch = |i: usize| {
                let Some(next) = txs.get(i) else { return };
                let message = &next.message;
                for (k, key) in message.account_keys.iter().enumerate() {
                    if message.is_writable_index(k) || !reserved.contains_key(key) {
                        store.prefetch(key);
                    }
                }
            };
            // Execute and commit `tx`; also whether the executor ran it.
            let execute = |tx: &Transaction| -> Executed {
                match process_message(&tx.message, &load, env) {
                    Err(e) => Executed::refused(e),
                    Ok(outcome) => {
                        let status = match store.commit(&outcome.changes) {
                            Ok(()) => outcome.status,
                            Err(e) => {
                                if let Ok(mut v) = store_errors.lock() {
                                    v.push(e);
                                }
                                Err(TransactionError::CommitCancelled)
                            }
                        };
                        let rare = (outcome.return_data.is_some() || outcome.reverted_by.is_some())
                            .then(|| {
                                Box::new(RareOutcome {
                                    return_data: outcome.return_data,
                                    reverted_by: outcome.reverted_by,
                                })
                            });
                        Executed {
                            executed: true,
                            status,
                            compute_units_consumed: outcome.compute_units_consumed,
                            fee: outcome.fee,
                            logs: outcome.logs,
                            rare,
                        }
                    }
                }
            };
            // Run transaction `i` on a scheduler thread, its result into
            // that thread's `list`.
            let run_one = |list: &mut Vec<Finished>, i: usize| {
                if let Some(tx) = txs.get(i) {
                    list.push(Finished {
                        index: i,
                        done: execute(tx),
                    });
                }
            };
            let mut results = Vec::with_capacity(txs.len());
            let mut gathered = Vec::new();
            match scheduler.as_ref().filter(|s| s.threads() > 1) {
                None => {
                    // In order on this thread, the results straight into a
                    // list in the same order.
                    let wave = admission.prepare(txs, 0, stage_one(0, txs.len()), None);
                    let mut executed = Vec::with_capacity(wave.accepted.len());
                    in_order(&wave.accepted, &prefetch, |i| {
                        executed.push(txs.get(i).map_or_else(
                            || Executed::refused(TransactionError::CommitCancelled),
                            execute,
                        ));
                    });
                    let mut executed = executed.into_iter();
                    admission.collect(txs, wave, |_| executed.next(), &mut results);
                }
                Some(s) => {
                    // A short first wave: its admission cannot overlap anything.
                    let mut bounds = wave_bounds(txs.len());
                    let mut current = bounds.next().map(|(start, end)| {
                        admission.prepare(txs, start, stage_one(start, end), Some(s))
                    });
                    // The finished wave and its parity.
                    let mut done: Option<(Wave, usize)> = None;
                    let mut parity = 0;
                    while let Some(mut wave) = current.take() {
                        let next = bounds.next();
                        let prev = done.take();
                        let admission = &mut admission;
                        let (outbox, gathered, results, stage_one) =
                            (&outbox, &mut gathered, &mut results, &stage_one);
                        let side = move || {
                            let prepared = next.map(|(start, end)| {
                                admission.prepare(txs, start, stage_one(start, end), Some(s))
                            });
                            if let Some((prev, p)) = prev {
                                admission.collect_from(outbox, p, txs, prev, gathered, results);
                            }
                            prepared
                        };
                        current =
                            wave.execute_alongside(s, outbox, parity, &run_one, &prefetch, side);
                        done = Some((wave, parity));
                        parity ^= 1;
                    }
                    if let Some((prev, p)) = done {
                        admission.collect_from(&outbox, p, txs, prev, &mut gathered, &mut results);
                    }
                }
            }
            admission.forget_refused(txs);
            *kept_outbox = Some(outbox);
            results
        };
        self.store_errors
            .extend(store_errors.into_inner().unwrap_or_default());
        // One call per batch: the durable store writes the whole batch in
        // one transaction here; the in-memory store does nothing.
        let ended = self.store.end_batch();
        self.record_store_result(ended);
        // A batch of some length leaves the pool awake for a while, so that
        // a next batch sent right after finds its threads running.
        if txs.len() > LINGER_AFTER {
            if let Some(s) = self.scheduler.as_ref().filter(|s| s.threads() > 1) {
                s.linger((started.elapsed() / 4).min(MAX_LINGER));
            }
        }
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waves_ramp_up_and_cover_the_batch_once() {
        for n in [0, 1, 31, 32, 33, 160, 671, 672, 673, 1696, 1697, 10_000] {
            let waves: Vec<(usize, usize)> = wave_bounds(n).collect();
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
            let planned = RAMP.into_iter().chain(std::iter::repeat(WAVE));
            for (k, (&size, plan)) in sizes.iter().zip(planned).enumerate() {
                if k + 1 < sizes.len() {
                    assert_eq!(size, plan, "n = {n}: {sizes:?}");
                } else {
                    assert!(size <= plan, "n = {n}: {sizes:?}");
                }
            }
        }
        let sizes: Vec<usize> = wave_bounds(10_000).map(|(s, e)| e - s).collect();
        assert_eq!(&sizes[..4], &[32, 128, 512, 1024]);
        assert_eq!(sizes.len(), 3 + 9 + 1);
    }
}
