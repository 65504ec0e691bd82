//! Stage 2 of a batch, in batch order, one wave at a time: what reads the
//! state ([`Admission::admit`]) — address table lookups (then the account
//! locks and blockhash of those transactions), the signature history; and
//! whatever stage 1 left undone when it did not run (one thread, no
//! signature checks). Then the dependency graph of the admitted
//! transactions ([`Admission::prepare`]), which makes a [`Wave`] for
//! stage 3 (`waves.rs`). At the end of the batch, the signatures of
//! admitted transactions that the executor refused are forgotten
//! ([`Admission::forget_refused`]).

use std::ops::ControlFlow;
use std::sync::OnceLock;

use baton_accounts_db::AccountsStore;
use baton_executor::SysvarCache;
use baton_scheduler::{validate_account_locks, AccountLock, DependencyGraph, LockMode, Scheduler};
use baton_types::{
    ids, wire, Account, LoadedAddresses, LoadedMessage, Pubkey, Transaction, TransactionError,
    WritableByPosition,
};
use rustc_hash::FxHashSet;

use super::check::Resolved;
use crate::blockhashes::RecentBlockhashes;
use crate::history::SignatureHistory;
use crate::lookup::{self, TableReader};
use crate::nonce;

/// How many transactions ahead admission prefetches the history's slots.
const HISTORY_AHEAD: usize = 8;

/// The in-order checks after signature verification: account locks,
/// blockhash, and the signature against the history (which also holds the
/// earlier transactions of this batch).
pub(crate) struct Admission<'a> {
    /// Whether stage 1 made the stateless checks (see `check.rs`), and what
    /// it found.
    pub(crate) prechecked: bool,
    /// Stage 1's resolutions of lookups, by batch index (see
    /// [`StageOne::take_resolved`](super::check::StageOne::take_resolved)), each taken when its transaction is
    /// admitted.
    pub(crate) resolved: Vec<Option<Resolved>>,
    pub(crate) lock_limit: usize,
    pub(crate) blockhash_check: bool,
    pub(crate) blockhashes: &'a RecentBlockhashes,
    pub(crate) history: Option<&'a mut SignatureHistory>,
    /// Whether the batch's signatures went into the history before
    /// admission, on every thread (see [`StageOne::insert_history`](super::check::StageOne::insert_history)).
    pub(crate) history_checked: bool,
    /// Admitted transactions the executor refused, to forget at the end.
    pub(crate) refused: Vec<usize>,
    /// Where address table lookups are resolved: the store and the
    /// batch's sysvars (its slot and SlotHashes).
    pub(crate) store: &'a dyn AccountsStore,
    pub(crate) sysvars: &'a SysvarCache,
    /// What admission found of each transaction that has lookups or a
    /// durable nonce, by batch index (no slots when no transaction of the
    /// batch has either).
    pub(crate) admitted: &'a AdmittedSlots,
    /// The tables some transaction of the batch looks up, and those an
    /// admitted transaction may have changed since the batch last settled
    /// (every admitted transaction committed).
    pub(crate) tables: TableWatch,
    /// Where lookups read their tables (see [`TableReader`]).
    pub(crate) table_reader: TableReader,
}

/// What admission found of a transaction beyond its verdict: the keys its
/// lookups loaded, and its nonce account as advanced (a durable-nonce
/// transaction), for its execution.
#[derive(Default)]
pub(crate) struct Admitted {
    pub(crate) loaded: LoadedAddresses,
    pub(crate) nonce: Option<(Pubkey, Account)>,
}

/// What admission found of each transaction of a batch beyond its verdict
/// ([`Admitted`]): a slot per transaction, made only for a batch with
/// lookups or durable nonces, when its scan finds one (at the start, or
/// where admission meets the first; see [`TableWatch::pending`]).
/// Read by the executing threads, which see the slots of every wave they
/// run: a wave starts after the admission that filled them.
#[derive(Default)]
pub(crate) struct AdmittedSlots(OnceLock<Box<[OnceLock<Admitted>]>>);

impl AdmittedSlots {
    /// Make a slot for each of `n` transactions (once).
    pub(crate) fn make(&self, n: usize) {
        let _ = self.0.set((0..n).map(|_| OnceLock::new()).collect());
    }

    /// The slots, empty while none were made.
    #[inline]
    pub(crate) fn all(&self) -> &[OnceLock<Admitted>] {
        self.0.get().map_or(&[], |slots| slots)
    }

    /// What admission found of transaction `i`, if it found anything.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&Admitted> {
        self.all().get(i).and_then(OnceLock::get)
    }
}

/// Transactions per stretch of [`TableWatch::of_on`]'s parallel pass.
const PROLOGUE_STRETCH: usize = 1024;

/// What a stretch of a batch looks up and reads for its nonces: each table
/// once, in order of first occurrence, and the nonce accounts admission
/// reads (see [`TableWatch::of`]).
#[derive(Default)]
struct Scan {
    looked_up: Vec<Pubkey>,
    nonces: Vec<Pubkey>,
}

impl Scan {
    /// Scan `txs`, listing the tables not in `used` yet (and adding them).
    fn add(
        &mut self,
        txs: &[Transaction],
        recent: Option<&RecentBlockhashes>,
        used: &mut FxHashSet<Pubkey>,
    ) {
        for tx in txs {
            for l in &tx.message.address_table_lookups {
                if used.insert(l.account_key) {
                    self.looked_up.push(l.account_key);
                }
            }
            if names_unknown_blockhash(tx, recent) {
                self.nonces.extend(nonce::nonce_account(&tx.message));
            }
        }
    }
}

/// Whether `tx`'s blockhash is not among `recent` (with the blockhash
/// check on): it may be a durable-nonce transaction, whose admission reads
/// its nonce account.
#[inline]
fn names_unknown_blockhash(tx: &Transaction, recent: Option<&RecentBlockhashes>) -> bool {
    recent.is_some_and(|r| !r.contains(&tx.message.recent_blockhash))
}

/// The lookup tables and nonce accounts of a batch that its own
/// transactions write: a transaction that looks up such a table, or whose
/// durable nonce is such an account, must be checked after the writer
/// committed, so admission stops before it ([`Wave::barrier`]).
#[derive(Default)]
pub(crate) struct TableWatch {
    /// Every table some transaction of the batch looks up, and the nonce
    /// account of every transaction whose admission reads one (see
    /// [`TableWatch::of`]).
    used: FxHashSet<Pubkey>,
    /// The tables, each once, in batch order.
    looked_up: Vec<Pubkey>,
    /// Those written by a transaction admitted since the batch settled.
    dirty: Vec<Pubkey>,
    /// Those written by any transaction admitted in the batch: a lookup of
    /// one of them cannot take stage 1's resolution (made against the
    /// batch's starting state).
    written: FxHashSet<Pubkey>,
    /// A first test of `used` that only says no for keys not in it.
    filter: KeyFilter,
    /// Whether `used` holds a nonce account (a durable-nonce transaction
    /// whose admission reads one).
    nonces: bool,
    /// Whether the batch is still to be scanned (see [`TableWatch::pending`]).
    pending: bool,
}

/// A set of keys tested by 16 bits mixed from each key: one bit for each
/// of the 65,536 values, set for every key of the set. [`KeyFilter::may_contain`]
/// is false only for a key not in the set, and false for all but ~0.6% of
/// other keys while the set holds a few hundred (a batch's lookup tables).
/// Admission asks for every key of every admitted transaction with lookups
/// whether the batch watches it: by the hash set alone that took ~360
/// instructions per transfer through a table (callgrind, `v0-alt`), on the
/// calling thread.
#[derive(Default)]
struct KeyFilter(Vec<u64>);

impl KeyFilter {
    fn of<'k>(keys: impl Iterator<Item = &'k Pubkey>) -> Self {
        let mut bits = vec![0u64; 1 << 10];
        for key in keys {
            let at = Self::bit(key);
            if let Some(word) = bits.get_mut(at >> 6) {
                *word |= 1 << (at & 63);
            }
        }
        Self(bits)
    }

    /// The key's bit: the top 16 bits of its four words folded and
    /// multiplied, so that keys differing anywhere (counter keys, ids with
    /// leading zeros such as the system program's) spread too.
    #[inline(always)]
    fn bit(key: &Pubkey) -> usize {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&key.0[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        let folded = word(0) ^ word(1).rotate_left(16) ^ word(2).rotate_left(32) ^ word(3);
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
    }

    #[inline(always)]
    fn may_contain(&self, key: &Pubkey) -> bool {
        let at = Self::bit(key);
        self.0
            .get(at >> 6)
            .is_some_and(|w| w & (1 << (at & 63)) != 0)
    }
}

impl TableWatch {
    /// The tables `txs` look up and the nonce accounts their admission
    /// reads (none for most batches), in one pass over the batch, which
    /// runs before anything else of the batch can.
    ///
    /// Admission reads a nonce account only for a durable-nonce
    /// transaction whose blockhash is not recent (Agave's age check tries
    /// the blockhash first), and only with the blockhash check on
    /// (`recent`: the recent blockhashes, `None` when it is off). So the
    /// pass reads each transaction's lookups and blockhash, which lie in
    /// the transaction itself, one after the other in the batch, and reads
    /// the first instruction only of a transaction with an unknown
    /// blockhash: reading every one (behind two pointers, cache misses
    /// that nothing overlaps) made this pass ~200 µs per 10,000 transfers
    /// (dev VM).
    pub(crate) fn of(txs: &[Transaction], recent: Option<&RecentBlockhashes>) -> Self {
        let mut used = FxHashSet::default();
        let mut scan = Scan::default();
        scan.add(txs, recent, &mut used);
        Self::from_scan(used, scan)
    }

    /// [`of`](Self::of), in stretches of [`PROLOGUE_STRETCH`] side by side
    /// on `pool`, for a batch long enough to have several. The same watch:
    /// each stretch lists its tables' first occurrences in it, and the
    /// merge keeps, stretch after stretch, those not listed before.
    ///
    /// The pass reads every transaction of the batch before anything else
    /// of it can start, so on one thread its time is a serial share of the
    /// batch that the other threads spend waiting: ~150 µs per 10,000
    /// transfers on the dev VM, as much as ~5% of a 16-thread batch's time
    /// by the cost model (docs/performance.md).
    pub(crate) fn of_on(
        txs: &[Transaction],
        recent: Option<&RecentBlockhashes>,
        pool: &rayon::ThreadPool,
    ) -> Self {
        use rayon::prelude::*;
        if txs.len() < 2 * PROLOGUE_STRETCH {
            return Self::of(txs, recent);
        }
        let scans: Vec<Scan> = pool.install(|| {
            txs.par_chunks(PROLOGUE_STRETCH)
                .map(|stretch| {
                    let mut scan = Scan::default();
                    scan.add(stretch, recent, &mut FxHashSet::default());
                    scan
                })
                .collect()
        });
        let mut used = FxHashSet::default();
        let mut merged = Scan::default();
        for scan in scans {
            merged
                .looked_up
                .extend(scan.looked_up.into_iter().filter(|&k| used.insert(k)));
            merged.nonces.extend(scan.nonces);
        }
        Self::from_scan(used, merged)
    }

    /// The watch of a scanned batch: `used` holds the tables of `scan`.
    fn from_scan(mut used: FxHashSet<Pubkey>, scan: Scan) -> Self {
        let Scan { looked_up, nonces } = scan;
        // After the tables: a nonce account that is also some table's key
        // must not keep that table out of `looked_up`.
        let any_nonce = !nonces.is_empty();
        used.extend(nonces);
        let filter = if used.is_empty() {
            KeyFilter::default()
        } else {
            KeyFilter::of(used.iter())
        };
        Self {
            used,
            looked_up,
            dirty: Vec::new(),
            written: FxHashSet::default(),
            filter,
            nonces: any_nonce,
            pending: false,
        }
    }

    /// The watch of a batch not scanned yet: admission scans it where it
    /// meets the first transaction that needs it, if any
    /// ([`Admission::scan`]). For a batch without a stage 1, which would
    /// need the tables first.
    pub(crate) fn pending() -> Self {
        Self {
            pending: true,
            ..Self::default()
        }
    }

    /// Whether some transaction of the batch may read a nonce account in
    /// admission (a durable-nonce transaction whose blockhash is not
    /// recent).
    pub(crate) fn reads_nonces(&self) -> bool {
        self.nonces
    }

    /// The tables the batch looks up, each once, in batch order.
    pub(crate) fn looked_up(&self) -> &[Pubkey] {
        &self.looked_up
    }

    /// Whether a transaction admitted earlier in the batch may have
    /// changed a table `tx` looks up.
    fn changed_in_batch(&self, tx: &Transaction) -> bool {
        !self.written.is_empty()
            && tx
                .message
                .address_table_lookups
                .iter()
                .any(|l| self.written.contains(&l.account_key))
    }

    /// Whether some transaction of the batch has lookups or a durable
    /// nonce instruction.
    pub(crate) fn any(&self) -> bool {
        !self.used.is_empty()
    }

    /// Whether `tx` looks up a table, or may read a nonce account, that
    /// an unsettled transaction may change.
    fn must_wait(&self, tx: &Transaction) -> bool {
        !self.dirty.is_empty()
            && (tx
                .message
                .address_table_lookups
                .iter()
                .any(|l| self.dirty.contains(&l.account_key))
                || nonce::nonce_account(&tx.message).is_some_and(|k| self.dirty.contains(&k)))
    }

    /// Whether `message` may write a table or nonce account of the batch.
    pub(crate) fn may_write(&self, message: LoadedMessage<'_>) -> bool {
        !self.used.is_empty()
            && watched_writes(
                &self.used,
                &self.filter,
                message,
                |_| ControlFlow::Break(()),
            )
            .is_break()
    }

    /// Note the watched tables an admitted transaction may write.
    fn admitted(&mut self, message: LoadedMessage<'_>) {
        let Self {
            used,
            filter,
            dirty,
            written,
            ..
        } = self;
        if used.is_empty() {
            return;
        }
        let _ = watched_writes(used, filter, message, |key| {
            if !dirty.contains(key) {
                dirty.push(*key);
                written.insert(*key);
            }
            ControlFlow::Continue(())
        });
    }
}

/// Visit each key of `used` (tested through `filter` first) that `message`
/// may write, until `visit` breaks.
fn watched_writes(
    used: &FxHashSet<Pubkey>,
    filter: &KeyFilter,
    message: LoadedMessage<'_>,
    mut visit: impl FnMut(&Pubkey) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let watched = |key: &Pubkey| filter.may_contain(key) && used.contains(key);
    // A key can only be written if it is writable by its position (a
    // static key) or loaded writable: the others are not looked at.
    let statics = &message.message.account_keys;
    let by_position = WritableByPosition::of(message.message);
    for (i, key) in statics.iter().enumerate() {
        if by_position.contains(i) && watched(key) && message.is_writable(i) {
            visit(key)?;
        }
    }
    for (j, key) in message.loaded.writable.iter().enumerate() {
        if watched(key) && message.is_writable(statics.len() + j) {
            visit(key)?;
        }
    }
    ControlFlow::Continue(())
}

/// What admission resolves and checks of a transaction against the state:
/// its lookups (the tables read from `store` through `tables`, in the
/// clock's slot), then its account locks over every key, static and loaded.
pub(crate) fn resolve_and_lock(
    tx: &Transaction,
    store: &dyn AccountsStore,
    tables: &mut TableReader,
    sysvars: &SysvarCache,
    lock_limit: usize,
) -> Result<Option<LoadedAddresses>, TransactionError> {
    let message = &tx.message;
    if message.address_table_lookups.is_empty() {
        validate_account_locks(&message.account_keys, lock_limit)?;
        return Ok(None);
    }
    lookup::resolve_and_validate_locks(
        message,
        &mut |k, f| tables.read_keeping(store, k, f),
        sysvars,
        lock_limit,
    )
    .map(Some)
}

impl Admission<'_> {
    /// Admit transaction `i` of the batch.
    pub(crate) fn admit(&mut self, i: usize, tx: &Transaction) -> Result<(), TransactionError> {
        let lookups = !tx.message.address_table_lookups.is_empty();
        if !self.prechecked {
            wire::sanitize_transaction(tx).map_err(TransactionError::from)?;
            super::budget::check_compute_budget(&tx.message)?;
        }
        // Stage 1 checked the locks and blockhash of a transaction, and
        // resolved its lookups against the batch's starting state: taken
        // unless an earlier transaction of the batch may have changed one
        // of its tables. A durable-nonce transaction's blockhash needs its
        // nonce account, read here.
        let from_stage_one = if !self.prechecked {
            None
        } else if !lookups {
            Some(Ok(None))
        } else if self.tables.changed_in_batch(tx) {
            None
        } else {
            self.resolved
                .get_mut(i)
                .and_then(Option::take)
                .map(|r| r.map(Some))
        };
        let blockhash_checked = from_stage_one.is_some();
        let loaded = match from_stage_one {
            Some(resolved) => resolved?,
            None => resolve_and_lock(
                tx,
                self.store,
                &mut self.table_reader,
                self.sysvars,
                self.lock_limit,
            )?,
        };
        // A recent blockhash passes whatever the instructions are (stage 1,
        // when it checked it, refused an unknown one but for a durable-nonce
        // transaction, which is checked against its nonce account here).
        let nonce = if self.blockhash_check
            && (!blockhash_checked || !self.blockhashes.contains(&tx.message.recent_blockhash))
        {
            nonce::check_blockhash(&tx.message, self.blockhashes, self.store, self.sysvars)?
        } else {
            None
        };
        if !self.history_checked {
            if let Some(history) = &mut self.history {
                if !history.insert(tx) {
                    return Err(TransactionError::AlreadyProcessed);
                }
            }
        }
        if loaded.is_some() || nonce.is_some() {
            let loaded = loaded.unwrap_or_default();
            self.tables
                .admitted(LoadedMessage::new(&tx.message, &loaded));
            if let Some(slot) = self.admitted.all().get(i) {
                // Each transaction is admitted once.
                let _ = slot.set(Admitted { loaded, nonce });
            }
        } else {
            self.tables.admitted(LoadedMessage::legacy(&tx.message));
        }
        Ok(())
    }

    /// Admit the wave of `txs` starting at `start`, given its stage-1
    /// verdicts, and (given a scheduler) build the dependency graph of the
    /// admitted ones.
    ///
    /// `settled`: every transaction before `start` has committed. The wave
    /// stops early, before a transaction that looks up a table an earlier,
    /// possibly uncommitted transaction of the batch writes; it is then a
    /// [`Wave::barrier`], and admission goes on from its end, settled, once
    /// it has run.
    pub(crate) fn prepare(
        &mut self,
        txs: &[Transaction],
        start: usize,
        mut verdicts: Vec<Option<TransactionError>>,
        scheduler: Option<&Scheduler>,
        settled: bool,
    ) -> Wave {
        if settled {
            // Tables changed since the batch last settled are read again.
            for key in self.tables.dirty.drain(..) {
                self.table_reader.forget(&key);
            }
        }
        let wave = txs.get(start..start + verdicts.len()).unwrap_or(&[]);
        let mut barrier = false;
        for (n, tx) in wave.iter().enumerate() {
            if self.tables.pending && self.needs_scan(tx) {
                self.scan(txs, start + n);
            }
            if let Some(ahead) = wave.get(n + HISTORY_AHEAD) {
                if let Some(history) = &self.history {
                    history.prefetch(ahead);
                }
                if !self.prechecked && self.table_reader.in_place() {
                    for l in &ahead.message.address_table_lookups {
                        self.store.prefetch(&l.account_key);
                    }
                }
            }
            if self.tables.must_wait(tx) {
                verdicts.truncate(n);
                barrier = true;
                break;
            }
            if verdicts[n].is_none() {
                verdicts[n] = self.admit(start + n, tx).err();
            }
        }
        let accepted: Vec<usize> = (0..verdicts.len())
            .filter(|&j| verdicts[j].is_none())
            .map(|j| start + j)
            .collect();
        let graph = scheduler.and_then(|s| wave_graph(s, txs, self.admitted.all(), &accepted));
        Wave {
            start,
            verdicts,
            accepted,
            graph,
            barrier,
        }
    }

    /// The recent blockhashes, with the blockhash check on.
    fn recent(&self) -> Option<&RecentBlockhashes> {
        self.blockhash_check.then_some(self.blockhashes)
    }

    /// Whether admitting `tx` needs the batch's scan: it has lookups, or
    /// a blockhash that is not recent.
    #[inline]
    fn needs_scan(&self, tx: &Transaction) -> bool {
        !tx.message.address_table_lookups.is_empty() || names_unknown_blockhash(tx, self.recent())
    }

    /// The batch's scan for its lookup tables and nonce accounts, made
    /// before admitting transaction `upto`, the first that needs it, when
    /// stage 1 did not run (it needs the tables first) and nothing else
    /// asked for it: a batch of plain transactions, most batches, never
    /// reads its transactions for it (on the dev VM ~150 µs per 10,000
    /// transfers, the pool waiting on two threads).
    ///
    /// Admission is then where it would have been with the scan made at
    /// the start: none of the transactions before `upto` has lookups or a
    /// nonce to check, so none was held back at a barrier, none has
    /// anything in its slot, and the tables they may write are noted now
    /// (also for those refused, which at most adds a barrier). The tables
    /// are read from here on: one a transaction before `upto` may have
    /// written is among those noted, read again once the batch has
    /// settled before anything looks it up, and the others are as they
    /// were when the batch started.
    fn scan(&mut self, txs: &[Transaction], upto: usize) {
        self.tables = TableWatch::of(txs, self.recent());
        self.table_reader = TableReader::new(self.store, self.tables.looked_up());
        if self.tables.any() {
            self.admitted.make(txs.len());
        }
        for tx in txs.get(..upto).unwrap_or(&[]) {
            self.tables.admitted(LoadedMessage::legacy(&tx.message));
        }
    }

    /// Forget the signatures of the admitted transactions the executor refused.
    pub(crate) fn forget_refused(&mut self, txs: &[Transaction]) {
        if let Some(h) = &mut self.history {
            for &i in &self.refused {
                if let Some(tx) = txs.get(i) {
                    h.forget(tx);
                }
            }
        }
    }
}

/// The dependency graph of a wave's `accepted` transactions (batch
/// indices into `txs`), over their static and loaded keys; `None` for a
/// wave too long to index, which runs serially (always valid).
///
/// Reserved accounts (builtins, sysvars) are never writable in a
/// transaction, so their read locks can conflict with nothing: leaving
/// them out gives the same graph for less work.
pub(crate) fn wave_graph(
    s: &Scheduler,
    txs: &[Transaction],
    admitted: &[OnceLock<Admitted>],
    accepted: &[usize],
) -> Option<DependencyGraph> {
    let message = |j: usize| {
        accepted
            .get(j)
            .and_then(|&i| txs.get(i))
            .map(|tx| &tx.message)
    };
    if admitted.is_empty() {
        // No lookups in the batch: static keys only, without asking each
        // transaction for loaded keys (through `of` below, 43 more
        // instructions per transfer in a wave's graph).
        let total = (0..accepted.len())
            .filter_map(message)
            .map(|m| m.account_keys.len())
            .sum();
        return s
            .build_graph_from(accepted.len(), total, |j| {
                MessageLocks::of(message(j).map(|m| (m, None)))
            })
            .ok();
    }
    let of = |j: usize| {
        let i = *accepted.get(j)?;
        let loaded = admitted.get(i).and_then(OnceLock::get).map(|a| &a.loaded);
        Some((&txs.get(i)?.message, loaded))
    };
    let total = (0..accepted.len())
        .filter_map(of)
        .map(|(m, loaded)| m.account_keys.len() + loaded.map_or(0, LoadedAddresses::len))
        .sum();
    s.build_graph_from(accepted.len(), total, |j| MessageLocks::of(of(j)))
        .ok()
}

/// The graph locks of a message with the keys its lookups loaded: every
/// key but the reserved ones, write-locked where [`LoadedMessage::is_writable`]
/// says so. A plain iterator that reads the header's bounds once per
/// message ([`WritableByPosition`]), rather than asking the loaded-message
/// view key by key: it took
/// a third off the graph's cost, and a 2-thread batch 4% faster.
struct MessageLocks<'a> {
    message: Option<&'a baton_types::Message>,
    statics: &'a [Pubkey],
    loaded_writable: &'a [Pubkey],
    loaded_readonly: &'a [Pubkey],
    next: usize,
    by_position: WritableByPosition,
}

impl<'a> MessageLocks<'a> {
    fn of(message: Option<(&'a baton_types::Message, Option<&'a LoadedAddresses>)>) -> Self {
        let Some((m, loaded)) = message else {
            return Self {
                message: None,
                statics: &[],
                loaded_writable: &[],
                loaded_readonly: &[],
                next: 0,
                by_position: WritableByPosition::default(),
            };
        };
        Self {
            message: Some(m),
            statics: &m.account_keys,
            loaded_writable: loaded.map_or(&[], |l| &l.writable),
            loaded_readonly: loaded.map_or(&[], |l| &l.readonly),
            next: 0,
            by_position: WritableByPosition::of(m),
        }
    }

    /// Loaded key `i` (counting the static keys before it) and whether
    /// its position makes it writable.
    #[cold]
    fn loaded_key(&self, i: usize) -> Option<(&'a Pubkey, bool)> {
        let i = i.checked_sub(self.statics.len())?;
        if let Some(key) = self.loaded_writable.get(i) {
            return Some((key, true));
        }
        let i = i.checked_sub(self.loaded_writable.len())?;
        self.loaded_readonly.get(i).map(|key| (key, false))
    }
}

impl Iterator for MessageLocks<'_> {
    type Item = AccountLock;

    #[inline]
    fn next(&mut self) -> Option<AccountLock> {
        loop {
            let i = self.next;
            let (key, by_position) = match self.statics.get(i) {
                Some(key) => (key, self.by_position.contains(i)),
                None => self.loaded_key(i)?,
            };
            self.next += 1;
            if ids::is_reserved(key) {
                continue;
            }
            let invoked = || self.message.is_some_and(|m| m.is_invoked(i));
            return Some(AccountLock {
                key: *key,
                mode: LockMode::from_writable(by_position && !invoked()),
            });
        }
    }
}

/// One wave of a batch: its first batch index, every transaction's
/// verdict before execution, the admitted ones (batch indices) and their graph.
pub(crate) struct Wave {
    pub(crate) start: usize,
    pub(crate) verdicts: Vec<Option<TransactionError>>,
    pub(crate) accepted: Vec<usize>,
    pub(crate) graph: Option<DependencyGraph>,
    /// Whether admission stopped before the next transaction, which must
    /// wait for this wave to commit (see [`Admission::prepare`]).
    pub(crate) barrier: bool,
}

impl Wave {
    /// The batch index after the wave's last transaction.
    pub(crate) fn end(&self) -> usize {
        self.start + self.verdicts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_types::{CompiledInstruction, Hash, Message, MessageHeader};

    /// The locks the general path takes: the loaded-message view's keys
    /// and `is_writable`, reserved ids left out.
    fn general(m: &Message, loaded: &LoadedAddresses) -> Vec<AccountLock> {
        let lm = LoadedMessage::new(m, loaded);
        lm.keys()
            .enumerate()
            .filter(|(_, key)| !ids::is_reserved(key))
            .map(|(k, key)| AccountLock {
                key: *key,
                mode: LockMode::from_writable(lm.is_writable(k)),
            })
            .collect()
    }

    /// The filter never turns away a key of its set, and lets few others
    /// through: seeded random keys, 400 in the set, 100,000 outside.
    #[test]
    fn the_key_filter_keeps_every_member_and_few_others() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut random_key = || {
            let mut k = [0u8; 32];
            for chunk in k.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes());
            }
            Pubkey(k)
        };
        let members: Vec<Pubkey> = (0..400).map(|_| random_key()).collect();
        let filter = KeyFilter::of(members.iter());
        assert!(members.iter().all(|k| filter.may_contain(k)));
        let through = (0..100_000)
            .filter(|_| filter.may_contain(&random_key()))
            .count();
        // 400 of 65,536 bits set: ~610 expected.
        assert!(through < 1_000, "{through} of 100,000 let through");
        assert!(!KeyFilter::default().may_contain(&members[0]));
        // Counter keys and the system program's all-zero id spread as well,
        // also keys alike in their first bytes (the table at 0 and every
        // probe here have two zero bytes first).
        let tables: Vec<Pubkey> = (0..400)
            .map(|t| Pubkey::new_from_u64((2 << 40) | t))
            .collect();
        let filter = KeyFilter::of(tables.iter());
        let through = (1..=100_000u64)
            .map(|k| Pubkey::new_from_u64(k << 16))
            .chain([Pubkey::default()])
            .filter(|k| filter.may_contain(k))
            .count();
        assert!(through < 1_000, "{through} counter keys let through");
    }

    /// Seeded numbers below a bound (xorshift from `x`): `next(n)` is in
    /// `0..n` (0 for `n` 0).
    fn below(mut x: u64) -> impl FnMut(u64) -> u64 {
        move |n| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n.max(1)
        }
    }

    /// A durable-nonce message advancing `nonce` (a writable signer),
    /// naming the default blockhash.
    fn nonced(nonce: Pubkey) -> Transaction {
        Transaction {
            signatures: Vec::new(),
            message: Message {
                header: MessageHeader {
                    num_required_signatures: 1,
                    num_readonly_signed_accounts: 0,
                    num_readonly_unsigned_accounts: 1,
                },
                account_keys: vec![nonce, ids::SYSTEM_PROGRAM],
                instructions: vec![CompiledInstruction {
                    program_id_index: 1,
                    accounts: vec![0],
                    data: 4u32.to_le_bytes().to_vec(),
                }],
                ..Message::default()
            },
        }
    }

    /// A message looking up `tables`, one writable index in each.
    fn looking_up(tables: &[Pubkey]) -> Transaction {
        Transaction {
            signatures: Vec::new(),
            message: Message {
                address_table_lookups: tables
                    .iter()
                    .map(|&account_key| baton_types::MessageAddressTableLookup {
                        account_key,
                        writable_indexes: vec![0],
                        readonly_indexes: Vec::new(),
                    })
                    .collect(),
                ..Message::default()
            },
        }
    }

    /// Every table a batch looks up is listed once, in batch order, to be
    /// loaded, also one whose key an earlier transaction names as its
    /// durable nonce; the nonce accounts are watched too, when admission
    /// reads them: for a blockhash that is not recent, with the blockhash
    /// check on.
    #[test]
    fn the_watch_lists_every_table_once_whatever_the_nonces() {
        let key = Pubkey::new_from_u64;
        let txs = [
            nonced(key(1)),
            looking_up(&[key(2), key(1)]),
            looking_up(&[key(1), key(3)]),
            nonced(key(4)),
        ];
        let stale = RecentBlockhashes::new(Hash::hashv(&[b"stale"]));
        let watch = TableWatch::of(&txs, Some(&stale));
        assert_eq!(watch.looked_up(), [key(2), key(1), key(3)]);
        assert!(watch.any());
        for k in 1..=4 {
            assert!(watch.used.contains(&key(k)), "{k}");
        }
        assert!(!TableWatch::of(&txs[..0], Some(&stale)).any());
        // The nonce transactions' blockhash is recent, or not checked:
        // their admission reads no nonce account.
        let recent = RecentBlockhashes::new(Hash::default());
        for watch in [
            TableWatch::of(&txs, Some(&recent)),
            TableWatch::of(&txs, None),
        ] {
            assert_eq!(watch.looked_up(), [key(2), key(1), key(3)]);
            assert!(!watch.used.contains(&key(4)));
        }
        assert!(!TableWatch::of(&[nonced(key(4))], Some(&recent)).any());
        assert!(TableWatch::of(&[nonced(key(4))], Some(&stale)).any());
    }

    /// The pass in stretches on a pool gives the watch of the pass in one:
    /// seeded batches of 0 to 5,000 transactions (up to five stretches),
    /// some looking up tables of a small set (a table first met in a late
    /// stretch, tables met again in later ones), some with durable nonces,
    /// nonce accounts that are also tables, with and without the
    /// blockhash check.
    #[test]
    fn the_watch_made_in_stretches_is_the_watch_made_in_one() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap_or_else(|e| panic!("pool: {e}"));
        let stale = RecentBlockhashes::new(Hash::hashv(&[b"stale"]));
        let mut next = below(0xBA70_0A11_5EED_0001);
        for len in [0, 1, 2047, 2048, 2049, 5000] {
            for density in [0, 1, 50] {
                let txs: Vec<Transaction> = (0..len)
                    .map(|i| match next(100) {
                        // A table only the last stretch names.
                        _ if i + 10 == len => looking_up(&[Pubkey::new_from_u64(999)]),
                        d if d < density / 2 => nonced(Pubkey::new_from_u64(next(40))),
                        d if d < density => {
                            let tables: Vec<Pubkey> = (0..=next(3))
                                .map(|_| Pubkey::new_from_u64(next(60)))
                                .collect();
                            looking_up(&tables)
                        }
                        _ => Transaction::default(),
                    })
                    .collect();
                for recent in [Some(&stale), None] {
                    let one = TableWatch::of(&txs, recent);
                    let stretches = TableWatch::of_on(&txs, recent, &pool);
                    let case = format!("{len} transactions, density {density}, {recent:?}");
                    assert_eq!(one.looked_up, stretches.looked_up, "{case}");
                    assert_eq!(one.used, stretches.used, "{case}");
                    assert_eq!(one.nonces, stretches.nonces, "{case}");
                    assert_eq!(one.filter.0, stretches.filter.0, "{case}");
                    if len >= 2048 && density > 0 {
                        assert!(one.looked_up.len() > 10, "{case}");
                        assert_eq!(one.looked_up.last(), Some(&Pubkey::new_from_u64(999)));
                    }
                }
            }
        }
    }

    /// Header-derived locks equal the loaded-message view's on messages of
    /// every shape: signers read-only or not, invoked program ids at
    /// writable positions, reserved ids anywhere (loaded ones too),
    /// headers that overrun the keys, with and without loaded keys.
    #[test]
    fn message_locks_match_the_loaded_message_view() {
        let mut next = below(0x9E37_79B9_7F4A_7C15);
        let key = |next: &mut dyn FnMut(u64) -> u64| match next(4) {
            0 => ids::RESERVED[next(ids::RESERVED.len() as u64) as usize],
            _ => Pubkey::new_from_u64(next(1 << 40) + 1),
        };
        for _ in 0..3_000 {
            let len = next(9) as usize;
            let account_keys: Vec<Pubkey> = (0..len).map(|_| key(&mut next)).collect();
            let loaded = LoadedAddresses {
                writable: (0..next(3)).map(|_| key(&mut next)).collect(),
                readonly: (0..next(3)).map(|_| key(&mut next)).collect(),
            };
            let all = len + loaded.len();
            let instructions = (0..next(3))
                .map(|_| CompiledInstruction {
                    program_id_index: next(all as u64 + 1) as u8,
                    accounts: Vec::new(),
                    data: Vec::new(),
                })
                .collect();
            let m = Message {
                header: MessageHeader {
                    num_required_signatures: next(len as u64 + 2) as u8,
                    num_readonly_signed_accounts: next(3) as u8,
                    num_readonly_unsigned_accounts: next(len as u64 + 2) as u8,
                },
                account_keys,
                instructions,
                ..Message::default()
            };
            let fast: Vec<AccountLock> = MessageLocks::of(Some((&m, Some(&loaded)))).collect();
            assert_eq!(fast, general(&m, &loaded), "{m:?} {loaded:?}");
            let none = LoadedAddresses::default();
            let fast: Vec<AccountLock> = MessageLocks::of(Some((&m, None))).collect();
            assert_eq!(fast, general(&m, &none), "{m:?}");
        }
        assert_eq!(MessageLocks::of(None).count(), 0);
    }
}
