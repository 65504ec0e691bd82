//! Stage 2 of a batch, in batch order, one wave at a time: account locks,
//! blockhash and the signature history ([`Admission::admit`]), then the
//! dependency graph of the admitted transactions ([`Admission::prepare`]),
//! which make a [`Wave`] for stage 3 (`waves.rs`).
//! At the end of the batch, the signatures of admitted transactions that
//! the executor refused are forgotten ([`Admission::forget_refused`]).

use std::collections::VecDeque;

use baton_scheduler::{validate_account_locks, AccountLock, DependencyGraph, LockMode, Scheduler};
use baton_types::{ids, wire, Hash, Transaction, TransactionError};

use crate::history::SignatureHistory;

/// How many transactions ahead admission prefetches the history's slots.
const HISTORY_AHEAD: usize = 8;

/// The in-order checks after signature verification: account locks,
/// blockhash, and the signature against the history (which also holds the
/// earlier transactions of this batch).
pub(crate) struct Admission<'a> {
    /// Whether stage 1 already sanitized the transactions.
    pub(crate) sanitized: bool,
    pub(crate) lock_limit: usize,
    pub(crate) blockhash_check: bool,
    pub(crate) blockhashes: &'a VecDeque<Hash>,
    pub(crate) history: Option<&'a mut SignatureHistory>,
    /// Admitted transactions the executor refused, to forget at the end.
    pub(crate) refused: Vec<usize>,
}

impl Admission<'_> {
    pub(crate) fn admit(&mut self, tx: &Transaction) -> Result<(), TransactionError> {
        if !self.sanitized {
            wire::sanitize_transaction(tx).map_err(TransactionError::from)?;
        }
        super::budget::check_compute_budget(&tx.message)?;
        refuse_lookups(tx)?;
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
    pub(crate) fn prepare(
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

/// Address table lookups are not resolved yet: a v0 transaction that has
/// some is refused with [`TransactionError::UnsupportedVersion`], before its
/// account locks are validated (where Agave resolves them) and without a
/// charge. A v0 transaction without lookups goes on exactly like a legacy
/// one, as in Agave.
pub(crate) fn refuse_lookups(tx: &Transaction) -> Result<(), TransactionError> {
    if tx.message.address_table_lookups.is_empty() {
        Ok(())
    } else {
        Err(TransactionError::UnsupportedVersion)
    }
}

/// One wave of a batch: its first batch index, every transaction's
/// verdict before execution, the admitted ones (batch indices) and their graph.
pub(crate) struct Wave {
    pub(crate) start: usize,
    pub(crate) verdicts: Vec<Option<TransactionError>>,
    pub(crate) accepted: Vec<usize>,
    pub(crate) graph: Option<DependencyGraph>,
}
