//! The batch pipeline: [`Runtime::execute_batch`] and its stages, one file
//! each, in the order a batch meets them:
//!
//! 1. `check.rs`: stateless checks on every thread — sanitize, verify
//!    signatures in batches, the compute-budget instructions, account
//!    locks and blockhash (of transactions without lookups); on one or two
//!    threads, without signature checks, left to admission.
//! 2. `admit.rs`: in batch order, wave by wave — what reads the state:
//!    address table lookups (then those transactions' locks and
//!    blockhash), the signature history; then the wave's dependency graph.
//! 3. `execute.rs`: on the worker threads — execute a transaction, commit
//!    its changes as it finishes, prefetch the next one's accounts.
//! 4. `waves.rs`: stages 2 and 3 together, serially or in overlapping
//!    waves (the calling thread admits the next wave while the pool runs
//!    this one).
//! 5. `collect.rs`: the results, in batch order, from the threads'
//!    outboxes and the verdicts.
//!
//! Then the batch ends here: store faults recorded, the store's
//! `end_batch` (durability), and the pool left lingering.

mod admit;
pub(crate) mod budget;
mod check;
pub(crate) mod collect;
mod execute;
mod waves;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use baton_accounts_db::{AccountsStore, StoreError};
use baton_executor::Environment;
use baton_scheduler::Scheduler;
use baton_types::Transaction;

use crate::lookup::TableReader;
use crate::Runtime;
pub(crate) use admit::resolve_and_lock;
use admit::{Admission, AdmittedSlots, TableWatch};
pub(crate) use budget::{check_compute_budget, execute_with_budget};
use check::{StageOne, StatelessChecks, STAGE_ONE_APART_FROM_THREADS};
use collect::TransactionResult;
use execute::Execution;

/// The longest a parallel batch keeps the pool's threads spinning after it
/// (a quarter of its own duration, at most this; see [`Scheduler::linger`]).
const MAX_LINGER: Duration = Duration::from_millis(1);

/// The pool lingers only after a parallel batch longer than this: a shorter
/// one is over in tens of microseconds, and a quarter of that saves little.
const LINGER_AFTER: usize = 128;

/// Whether a batch of `len` on `threads` threads (in parallel) is planned
/// ([`waves::run_planned`]): from [`waves::PLANNED_FROM_THREADS`] threads,
/// when stage 1 ran apart and admission would read no state but the
/// history — no durable nonces, and no lookup table that a transaction of
/// the batch may write, so that stage 1's resolutions all hold.
fn plans(threads: usize, len: usize, watch: &TableWatch, stage_one: &StageOne) -> bool {
    threads >= waves::PLANNED_FROM_THREADS
        && (!watch.any() || stage_one.tables_unwritten())
        && stage_one.done()
        && len <= u32::MAX as usize
}

impl Runtime {
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
        // While the host's cores are contended (parallel runs have lately
        // lost to serial ones; see `Scheduler::serial_for_now`), the whole
        // batch takes the one-thread path: stage 1 folded into admission,
        // no graphs, no pool. A batch whose pool threads wait for cores
        // would lose to it, and half-serial (stage 1 and graphs on the
        // pool, execution in order) costs more than it.
        let parallel = self
            .scheduler
            .as_ref()
            .filter(|s| s.threads() > 1 && !s.serial_for_now());
        let (watch, tables, stage_one) = self.stage_one(txs, parallel);
        // Stages 2 to 4, in waves: admit, schedule and execute, collect.
        let store_errors = Mutex::new(Vec::new());
        let parallel = parallel.is_some();
        let results =
            self.admit_and_execute(txs, parallel, stage_one, tables, watch, &store_errors);
        // The end: store faults, durability, the pool's linger.
        self.finish_batch(txs.len(), started, store_errors);
        results
    }

    /// The batch's lookup tables and nonce accounts (none for most), the
    /// tables as it starts, and its stage 1 (on `parallel`'s pool, if any).
    /// Without a stage 1 (no signature checks, and one or two threads, or
    /// a batch run serially while the host is contended) the tables wait:
    /// admission scans for them where it meets a transaction that needs
    /// them ([`Admission::scan`]), and a batch without lookups or durable
    /// nonces is never scanned.
    fn stage_one(
        &self,
        txs: &[Transaction],
        parallel: Option<&Scheduler>,
    ) -> (TableWatch, TableReader, StageOne) {
        let parallel_threads = parallel.map_or(1, Scheduler::threads);
        let recent = self.blockhash_check.then_some(&self.blockhashes);
        // The pass before stage 1, on all threads from the count at which
        // stage 1 runs apart: on one, the others would wait for it. On the
        // dev VM's two vCPUs it is bound by memory and no faster split
        // (124–163 µs per 10,000 transfers at 3, 4 and 8 threads against
        // 146–170 on the calling thread alone); the time it saves on more
        // cores is the cost model's, not measured (docs/performance.md).
        let watch = if !StageOne::runs(parallel, self.sigverify) {
            TableWatch::pending()
        } else {
            match parallel.filter(|_| parallel_threads >= STAGE_ONE_APART_FROM_THREADS) {
                Some(s) => TableWatch::of_on(txs, recent, s.pool()),
                None => TableWatch::of(txs, recent),
            }
        };
        let tables = TableReader::new(&*self.store, watch.looked_up());
        // Stage 1, stateless and parallel: sanitize, then verify signatures.
        let checks = StatelessChecks {
            sigverify: self.sigverify,
            lock_limit: self.lock_limit,
            blockhashes: recent,
            tables: &tables,
            store: &*self.store,
            sysvars: &self.sysvars,
            // The history keys only a planned batch reads (on the same
            // thread count as admit_and_execute's choice).
            history: self
                .history
                .as_ref()
                .filter(|_| parallel_threads >= waves::PLANNED_FROM_THREADS),
            // A batch with lookups but no durable nonces may be planned if
            // none of its transactions writes a table it looks up.
            watch: Some(&watch).filter(|w| {
                parallel_threads >= waves::PLANNED_FROM_THREADS && w.any() && !w.reads_nonces()
            }),
        };
        let stage_one = StageOne::check(parallel, &checks, txs);
        (watch, tables, stage_one)
    }

    /// Stages 2 to 4 of a batch: admission (account locks, blockhash,
    /// history; then the dependency graph) and execution run in waves,
    /// serially on this thread or overlapping on the pool (`waves.rs`), and
    /// the results are collected in batch order.
    ///
    /// On [`waves::PLANNED_FROM_THREADS`] threads or more, a batch whose
    /// admission reads no state but the history (see [`plans`]: no durable
    /// nonces, no lookup table written) has its signatures inserted into
    /// the history on every thread, shard by shard, and its waves' graphs
    /// built on every thread ([`waves::run_planned`]); other batches are
    /// admitted in order on this thread, wave by wave, while the pool runs
    /// the previous wave ([`waves::run_waves`]), as are all batches on
    /// fewer threads and while the scheduler runs them serially because the
    /// host's cores are contended. With `parallel` false (one thread, or a
    /// contended host) the batch runs serially on this thread, as on one
    /// thread.
    fn admit_and_execute(
        &mut self,
        txs: &[Transaction],
        parallel: bool,
        mut stage_one: StageOne,
        tables: TableReader,
        watch: TableWatch,
        store_errors: &Mutex<Vec<StoreError>>,
    ) -> Vec<TransactionResult> {
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
        let store: &dyn AccountsStore = &**store;
        // One slot per transaction for what admission finds (loaded keys,
        // an advanced nonce), only when the batch has lookups or nonces.
        let admitted = AdmittedSlots::default();
        if watch.any() {
            admitted.make(txs.len());
        }
        let serial = scheduler.as_ref().filter(|s| s.threads() > 1 && !parallel);
        let parallel = scheduler.as_ref().filter(|s| s.threads() > 1 && parallel);
        let planned = parallel.filter(|s| plans(s.threads(), txs.len(), &watch, &stage_one));
        let history_checked = planned.is_some();
        let mut admission = Admission {
            prechecked: stage_one.done(),
            resolved: stage_one.take_resolved(),
            lock_limit: *lock_limit,
            blockhash_check: *blockhash_check,
            blockhashes,
            history: history.as_mut(),
            history_checked,
            refused: Vec::new(),
            store,
            sysvars,
            admitted: &admitted,
            tables: watch,
            table_reader: tables,
        };
        let outbox = kept_outbox.take().unwrap_or_default();
        let exec = Execution {
            txs,
            store,
            env: Environment {
                programs,
                sysvars,
                config,
            },
            reserved,
            store_errors,
            admitted: &admitted,
        };
        let mut results = Vec::with_capacity(txs.len());
        match (planned, parallel) {
            (Some(s), _) => {
                waves::run_planned(s, &mut admission, &exec, &outbox, &stage_one, &mut results);
            }
            (None, Some(s)) => {
                waves::run_waves(s, &mut admission, &exec, &outbox, &stage_one, &mut results);
            }
            (None, None) => {
                waves::run_serial(&mut admission, &exec, &stage_one, serial, &mut results);
            }
        }
        admission.forget_refused(txs);
        *kept_outbox = Some(outbox);
        results
    }

    /// Whether `txs` would be planned on this runtime's threads, its stage
    /// 1 run as a batch would (test support).
    #[cfg(test)]
    pub(crate) fn would_plan(&mut self, txs: &[Transaction]) -> bool {
        self.ensure_scheduler();
        let scheduler = self.scheduler.as_ref().filter(|s| s.threads() > 1);
        let (watch, _, stage_one) = self.stage_one(txs, scheduler);
        scheduler.is_some_and(|s| plans(s.threads(), txs.len(), &watch, &stage_one))
    }

    /// End the batch: record its store faults, make it durable with one
    /// `end_batch` call, and leave the pool awake for a while after a long
    /// one.
    fn finish_batch(
        &mut self,
        batch_len: usize,
        started: Instant,
        store_errors: Mutex<Vec<StoreError>>,
    ) {
        self.store_errors
            .extend(store_errors.into_inner().unwrap_or_default());
        // One call per batch: the durable store writes the whole batch in
        // one transaction here; the in-memory store does nothing.
        let ended = self.store.end_batch();
        self.record_store_result(ended);
        // A batch of some length leaves the pool awake for a while, so that
        // a next batch sent right after finds its threads running.
        if batch_len > LINGER_AFTER {
            if let Some(s) = self.scheduler.as_ref().filter(|s| s.threads() > 1) {
                s.linger((started.elapsed() / 4).min(MAX_LINGER));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use baton_programs::system::instruction::{advance_nonce_account, transfer};
    use baton_sdk::address_lookup_table::LookupTableMeta;
    use baton_types::signing::Keypair;
    use baton_types::{ids, Account, AddressLookupTableAccount, Hash, Message, Pubkey};

    use super::*;

    const TABLE: Pubkey = Pubkey::new_from_array([77; 32]);

    fn payer(n: u8) -> Keypair {
        Keypair::from_seed(&[n; 32])
    }

    /// A runtime of `threads` threads with four funded payers and a table
    /// of `sinks` at [`TABLE`].
    fn runtime(threads: usize, sinks: &[Pubkey]) -> Runtime {
        let mut rt = Runtime::new().with_threads(threads);
        for n in 1..=4 {
            rt.airdrop(&payer(n).pubkey(), 50_000_000).unwrap();
        }
        let meta = LookupTableMeta::active(None, 0);
        let table = Account {
            lamports: 10_000_000,
            data: meta.encode(sinks),
            owner: ids::ADDRESS_LOOKUP_TABLE_PROGRAM,
            executable: false,
            rent_epoch: 0,
        };
        rt.set_account(TABLE, table).unwrap();
        rt.warp_to_slot(10);
        rt
    }

    fn signed(message: Message, payer: &Keypair, bh: Hash) -> Transaction {
        let mut tx = Transaction::new_unsigned(message);
        tx.sign(&[payer], bh).unwrap();
        tx
    }

    /// Transfers from the payers to `sinks`, loaded through the table.
    fn through_table(bh: Hash, sinks: &[Pubkey]) -> Vec<Transaction> {
        let table = AddressLookupTableAccount {
            key: TABLE,
            addresses: sinks.to_vec(),
        };
        (0..64u64)
            .map(|i| {
                let p = payer(1 + (i % 4) as u8);
                let to = sinks[i as usize % sinks.len()];
                let ix = transfer(&p.pubkey(), &to, 1_000 + i);
                let m =
                    Message::try_compile_v0(&p.pubkey(), &[ix], std::slice::from_ref(&table), &bh)
                        .unwrap();
                signed(m, &p, bh)
            })
            .collect()
    }

    #[test]
    fn a_batch_with_lookups_is_planned_unless_it_may_write_a_table() {
        let sinks: Vec<Pubkey> = (100..104).map(Pubkey::new_from_u64).collect();
        let mut rt = runtime(8, &sinks);
        let bh = rt.latest_blockhash();
        let batch = through_table(bh, &sinks);
        assert!(batch
            .iter()
            .all(|tx| !tx.message.address_table_lookups.is_empty()));
        assert!(rt.would_plan(&batch), "lookups alone");

        // A transfer to the table makes it writable: not planned.
        let p = payer(1);
        let to_table = Message::new(&[transfer(&p.pubkey(), &TABLE, 1)], Some(&p.pubkey()));
        let mut writes = batch.clone();
        writes.insert(40, signed(to_table.clone(), &p, bh));
        assert!(
            !rt.would_plan(&writes),
            "a legacy transaction writes the table"
        );
        // The same with a blockhash no one knows: refused in stage 1, it
        // writes nothing, and the batch is planned.
        let mut refused = batch.clone();
        refused.insert(40, signed(to_table, &p, Hash([9; 32])));
        assert!(rt.would_plan(&refused), "the writer is refused in stage 1");

        // A durable-nonce transaction (its blockhash is not recent): its
        // admission reads its nonce account, not planned.
        let nonce = Pubkey::new_from_u64(555);
        let advance = advance_nonce_account(&nonce, &p.pubkey());
        let pay = transfer(&p.pubkey(), &sinks[0], 1);
        let m = Message::new(&[advance, pay], Some(&p.pubkey()));
        let mut nonced = batch.clone();
        nonced.push(signed(m, &p, Hash([8; 32])));
        assert!(!rt.would_plan(&nonced), "a durable nonce");

        // Below the planned thread count: never.
        let mut two = runtime(2, &sinks);
        assert!(!two.would_plan(&batch), "two threads");
    }
}
