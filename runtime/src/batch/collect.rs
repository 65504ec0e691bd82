//! Result collection: where the threads leave each executed transaction's
//! record ([`Outbox`]), and how the calling thread turns a wave's records
//! and verdicts into [`TransactionResult`]s in batch order
//! ([`Admission::collect`]).

use baton_types::{Pubkey, Signature, Transaction, TransactionError};

use super::admit::{Admission, Wave};
use super::budget::FeeDetails;
use super::execute::{Executed, Finished};

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
    /// Lamports charged: the fee for an executed transaction, failed or not
    /// (5,000 per signature plus the prioritization fee); zero for a
    /// rejected one.
    pub fee: u64,
    /// `fee` split into its base and prioritization parts.
    pub fee_details: FeeDetails,
    /// Return data left by the transaction, if any.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// The program whose revert failed the transaction (docs/semantics.md §8),
    /// if one did; the status then holds its `Custom` code.
    pub reverted_by: Option<Pubkey>,
}

impl TransactionResult {
    pub(crate) fn rejected(tx: &Transaction, err: TransactionError) -> Self {
        Self {
            signature: tx.signature().copied().unwrap_or_default(),
            status: Err(err),
            logs: Vec::new(),
            compute_units_consumed: 0,
            fee: 0,
            fee_details: FeeDetails::default(),
            return_data: None,
            reverted_by: None,
        }
    }
}

impl Executed {
    /// The full result for `tx`, and whether it was executed.
    pub(crate) fn into_result(self, tx: &Transaction) -> (TransactionResult, bool) {
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
            fee_details: FeeDetails {
                base_fee: self.fee.saturating_sub(self.prioritization_fee),
                prioritization_fee: self.prioritization_fee,
            },
            return_data,
            reverted_by,
        };
        (result, self.executed)
    }
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
pub(crate) struct Outbox {
    /// Per wave parity, the lists threads handed over.
    handed: [parking_lot::Mutex<Vec<Finished>>; 2],
    /// Drained lists, with their capacity.
    spare: parking_lot::Mutex<Vec<Finished>>,
}

impl Outbox {
    /// An empty list for a thread joining a wave.
    pub(crate) fn list(&self) -> Finished {
        self.spare.lock().pop().unwrap_or_default()
    }

    /// A thread's results of a wave of `parity`.
    pub(crate) fn hand(&self, parity: usize, list: Finished) {
        if list.is_empty() {
            self.spare.lock().push(list);
        } else {
            self.handed[parity % 2].lock().push(list);
        }
    }

    /// Take the results of `parity` for the batch indices `start..start +
    /// len` into `gathered`, by index (`None` where none was left).
    pub(crate) fn gather(
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
            list.drain_into(start, gathered);
            self.spare.lock().push(list);
        }
    }
}

impl Admission<'_> {
    /// [`collect`](Self::collect) a wave that ran with the outbox lists of
    /// `parity`; `gathered` is scratch kept across waves.
    pub(crate) fn collect_from(
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
    pub(crate) fn collect(
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
