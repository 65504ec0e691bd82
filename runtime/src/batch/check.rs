//! Stage 1 of a batch, stateless and parallel: every check of a
//! transaction that reads no state, in Agave's order — sanitize, verify its
//! signatures (in batches of [`SIGVERIFY_CHUNK`]), read its compute-budget
//! instructions, and, unless it has address table lookups (whose keys only
//! the state gives), validate its account locks and check its blockhash.
//! On a pool of three threads or more (of two, for a batch with signatures
//! to verify) this runs on all of them, so that the in-order
//! admission of each wave (stage 2) is left with the state: the lookups and
//! the signature history. Its verdicts are read wave by wave. Otherwise
//! admission makes the same checks as it admits each transaction
//! ([`STAGE_ONE_APART_FROM_THREADS`] says why).

use baton_accounts_db::AccountsStore;
use baton_executor::SysvarCache;
use baton_scheduler::{validate_account_locks, Scheduler};
use baton_types::{signing, wire, LoadedAddresses, LoadedMessage, Transaction, TransactionError};

use super::admit::TableWatch;
use crate::blockhashes::RecentBlockhashes;
use crate::history::{SignatureHistory, NO_SHARD};
use crate::lookup::{self, TableReader};
use rayon::prelude::*;

/// Transactions checked per task (and per batch-verification call).
const SIGVERIFY_CHUNK: usize = 64;

/// What the stateless checks need besides the transactions.
pub(crate) struct StatelessChecks<'a> {
    pub(crate) sigverify: bool,
    pub(crate) lock_limit: usize,
    /// The blockhashes a transaction may name, when they are checked.
    pub(crate) blockhashes: Option<&'a RecentBlockhashes>,
    /// The lookup tables of the batch as they were when it started, and
    /// the sysvars to resolve them in (lookups are resolved here too, on
    /// every thread; admission redoes it for a transaction whose table an
    /// earlier one in the batch may have changed).
    pub(crate) tables: &'a TableReader,
    /// The store the tables are read from (see [`TableReader`]).
    pub(crate) store: &'a dyn AccountsStore,
    pub(crate) sysvars: &'a SysvarCache,
    /// The signature history, whose shard of each transaction that passes
    /// is noted for the history's parallel insert (see
    /// [`SignatureHistory::insert_partitioned`]).
    pub(crate) history: Option<&'a SignatureHistory>,
    /// For a batch with lookups that may be planned: its tables, to note
    /// whether a transaction that passes may write one (a batch in which
    /// none does keeps every resolution made here; see
    /// [`StageOne::tables_unwritten`]).
    pub(crate) watch: Option<&'a TableWatch>,
}

/// A transaction with lookups, past its stateless checks: its lookups
/// resolved against the batch's starting state, then its locks and
/// blockhash checked — or the first of those that failed.
pub(crate) type Resolved = Result<LoadedAddresses, TransactionError>;

impl StatelessChecks<'_> {
    /// Whether `tx` fails sanitizing.
    fn sanitize(tx: &Transaction) -> Option<TransactionError> {
        wire::sanitize_transaction(tx)
            .map_err(TransactionError::from)
            .err()
    }

    /// A transaction with lookups, past its compute-budget check: resolved
    /// against the batch's starting tables, its locks and its blockhash.
    fn resolve(&self, tx: &Transaction) -> Resolved {
        let loaded = lookup::resolve_and_validate_locks(
            &tx.message,
            &mut |k, f| self.tables.read(self.store, k, f),
            self.sysvars,
            self.lock_limit,
        )?;
        self.check_blockhash(tx)?;
        Ok(loaded)
    }

    /// The blockhash must be recent, but for a durable-nonce transaction's,
    /// which admission checks against its nonce account.
    fn check_blockhash(&self, tx: &Transaction) -> Result<(), TransactionError> {
        match self.blockhashes {
            Some(hashes)
                if !hashes.contains(&tx.message.recent_blockhash)
                    && crate::nonce::nonce_account(&tx.message).is_none() =>
            {
                Err(TransactionError::BlockhashNotFound)
            }
            _ => Ok(()),
        }
    }

    /// The checks after the signatures, in order.
    fn after_signatures(&self, tx: &Transaction) -> Result<(), TransactionError> {
        super::budget::check_compute_budget(&tx.message)?;
        if tx.message.address_table_lookups.is_empty() {
            validate_account_locks(&tx.message.account_keys, self.lock_limit)?;
            self.check_blockhash(tx)?;
        }
        Ok(())
    }

    fn check_chunk(&self, chunk: &[Transaction]) -> Vec<Checked> {
        let mut verdicts: Vec<Option<TransactionError>> =
            chunk.iter().map(Self::sanitize).collect();
        if self.tables.in_place() {
            for tx in chunk {
                for l in &tx.message.address_table_lookups {
                    self.store.prefetch(&l.account_key);
                }
            }
        }
        if self.sigverify {
            for (v, sig) in verdicts.iter_mut().zip(signing::verify_batch(chunk)) {
                if v.is_none() {
                    *v = sig.err();
                }
            }
        }
        verdicts
            .into_iter()
            .zip(chunk)
            .map(|(v, tx)| {
                let (verdict, resolved) = match v {
                    Some(e) => (Some(e), None),
                    None => match self.after_signatures(tx) {
                        Err(e) => (Some(e), None),
                        Ok(()) if tx.message.address_table_lookups.is_empty() => (None, None),
                        Ok(()) => (None, Some(self.resolve(tx))),
                    },
                };
                // A transaction whose lookups failed is refused as well
                // (unless a table changes in the batch, which keeps it from
                // being planned): no history shard.
                let passed = verdict.is_none() && !matches!(resolved, Some(Err(_)));
                let (shard, key) = match self.history {
                    Some(h) if passed => h.shard_and_key(tx),
                    _ => (NO_SHARD, 0),
                };
                let writes = passed
                    && self.watch.is_some_and(|w| {
                        w.may_write(match &resolved {
                            Some(Ok(loaded)) => LoadedMessage::new(&tx.message, loaded),
                            _ => LoadedMessage::legacy(&tx.message),
                        })
                    });
                Checked {
                    verdict,
                    resolved,
                    shard,
                    key,
                    writes,
                }
            })
            .collect()
    }
}

/// One transaction's stage-1 outcome: the stateless verdict, for one with
/// lookups that passed it what its resolution gave, and for one that
/// passed its history shard and key ([`NO_SHARD`] for the others).
struct Checked {
    verdict: Option<TransactionError>,
    resolved: Option<Resolved>,
    shard: u8,
    key: u128,
    /// Whether it may write a table of the batch (only noted when asked).
    writes: bool,
}

/// The stage-1 verdict of every transaction of a batch (`None`: it passed),
/// or nothing when stage 1 was left to admission: on one thread without
/// signature checks, where a separate pass would only add a walk over the
/// batch.
pub(crate) struct StageOne(Option<Columns>);

/// Stage 1's verdicts, (when the batch has lookups) each transaction's
/// resolution, and (with a history) each one's history shard and key.
struct Columns {
    verdicts: Vec<Option<TransactionError>>,
    resolved: Vec<Option<Resolved>>,
    shards: Vec<u8>,
    keys: Vec<u128>,
    /// Whether a transaction that passed may write one of the batch's
    /// tables; `None` when not asked.
    writes_watched: Option<bool>,
}

/// The thread count from which a batch without signature checks has its
/// stage 1 as a pass of its own on the pool; below it the
/// checks are left to admission, which makes them as it admits each
/// transaction (as on one thread). On two threads that was 11–28% faster
/// per batch, alternated batch by batch in one process (dev VM: default
/// workload 1.11–1.28, `zipf-transfers` 1.15–1.19, `hot-account`
/// 1.11–1.22, `token-cpi` 1.04–1.10): the separate pass reads every
/// transaction once more, on other cores, and leaves the calling thread
/// asleep until it ends, while admission's side of a 2-thread wave has
/// room for the checks. Signature checks (tens of microseconds a
/// transaction) keep their pass on every thread count. Lookups kept
/// theirs too until build `886cf58`; folded into admission, a 2-thread
/// batch of `v0-alt` transfers (one lookup each) ran 0.94–1.31 times as
/// fast as with the pass, median ~1.07 over 18 alternations (batch by batch
/// in one process, dev VM): the calling thread resolves them in order,
/// prefetching the tables eight transactions ahead, as on one thread.
pub(crate) const STAGE_ONE_APART_FROM_THREADS: usize = 3;

impl StageOne {
    /// Check `txs` on the scheduler's pool when it has several threads and
    /// the batch has signatures to verify, or at least
    /// [`STAGE_ONE_APART_FROM_THREADS`] threads; else on this thread when
    /// signatures are checked; else not at all (admission checks).
    pub(crate) fn check(
        scheduler: Option<&Scheduler>,
        checks: &StatelessChecks<'_>,
        txs: &[Transaction],
    ) -> Self {
        let checked: Option<Vec<Checked>> = match scheduler {
            Some(s) if Self::apart(s, checks.sigverify) => Some(s.pool().install(|| {
                txs.par_chunks(SIGVERIFY_CHUNK)
                    .flat_map_iter(|c| checks.check_chunk(c))
                    .collect()
            })),
            _ if checks.sigverify => Some(
                txs.chunks(SIGVERIFY_CHUNK)
                    .flat_map(|c| checks.check_chunk(c))
                    .collect(),
            ),
            _ => None,
        };
        Self(checked.map(|c| {
            let any_resolved = c.iter().any(|c| c.resolved.is_some());
            // Only a planned batch has history shards (the others were
            // given no history): keep no shard and key columns for the rest.
            let any_keyed = c.iter().any(|c| c.shard != NO_SHARD);
            let len_if = |any: bool| if any { c.len() } else { 0 };
            let mut columns = Columns {
                verdicts: Vec::with_capacity(c.len()),
                // Most batches have no lookups: keep no column for them.
                resolved: Vec::with_capacity(len_if(any_resolved)),
                shards: Vec::with_capacity(len_if(any_keyed)),
                keys: Vec::with_capacity(len_if(any_keyed)),
                writes_watched: checks.watch.map(|_| c.iter().any(|c| c.writes)),
            };
            for c in c {
                columns.verdicts.push(c.verdict);
                if any_keyed {
                    columns.shards.push(c.shard);
                    columns.keys.push(c.key);
                }
                if any_resolved {
                    columns.resolved.push(c.resolved);
                }
            }
            columns
        }))
    }

    /// Whether stage 1 runs as a pass of its own on `s`'s pool.
    fn apart(s: &Scheduler, sigverify: bool) -> bool {
        s.threads() > 1 && (sigverify || s.threads() >= STAGE_ONE_APART_FROM_THREADS)
    }

    /// Whether [`check`](Self::check) checks anything for a batch run on
    /// `scheduler` (when parallel), or leaves it all to admission.
    pub(crate) fn runs(scheduler: Option<&Scheduler>, sigverify: bool) -> bool {
        sigverify || scheduler.is_some_and(|s| Self::apart(s, sigverify))
    }

    /// What stage 1's resolution gave, by batch index (`None` for a
    /// transaction without lookups or that failed the stateless checks;
    /// empty when stage 1 did not run or resolved nothing), taken out for
    /// admission to move each into its transaction's slot instead of
    /// copying it.
    pub(crate) fn take_resolved(&mut self) -> Vec<Option<Resolved>> {
        self.0
            .as_mut()
            .map(|c| std::mem::take(&mut c.resolved))
            .unwrap_or_default()
    }

    /// Record every transaction that passed stage 1 in `history`, the
    /// shards side by side on `pool` (see
    /// [`SignatureHistory::insert_partitioned`]); the batch indices of
    /// those already processed (none when stage 1 did not run).
    pub(crate) fn insert_history(
        &self,
        history: &mut SignatureHistory,
        pool: &rayon::ThreadPool,
        txs: &[Transaction],
    ) -> Vec<usize> {
        match &self.0 {
            Some(c) => history.insert_partitioned(pool, txs, &c.shards, &c.keys),
            None => Vec::new(),
        }
    }

    /// Whether stage 1 was asked to watch the batch's tables
    /// ([`StatelessChecks::watch`]) and no transaction that passed it may
    /// write one: then no table changes in the batch, and every
    /// resolution stage 1 made holds for the whole of it.
    pub(crate) fn tables_unwritten(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|c| c.writes_watched == Some(false))
    }

    /// Whether stage 1 made the stateless checks, leaving admission the
    /// lookups (then the locks and blockhash of those transactions) and
    /// the history.
    pub(crate) fn done(&self) -> bool {
        self.0.is_some()
    }

    /// The stage-1 verdicts of the wave `start..end`.
    pub(crate) fn of_wave(&self, start: usize, end: usize) -> Vec<Option<TransactionError>> {
        match &self.0 {
            Some(columns) => columns.verdicts[start..end].to_vec(),
            None => vec![None; end - start],
        }
    }
}
