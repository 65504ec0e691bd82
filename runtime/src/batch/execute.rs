//! Stage 3 of a batch, on the worker threads: execute one transaction
//! against the store, commit its changes as it finishes, and keep its
//! result in a compact record for collection. Also the prefetch of the
//! accounts of the transaction a thread will run next.

use std::sync::Mutex;

use baton_accounts_db::{AccountsStore, StoreError};
use baton_executor::{AccountSource, Environment};
use baton_types::{
    ids, Account, LoadedMessage, Pubkey, Transaction, TransactionError, WritableByPosition,
};

use super::admit::AdmittedSlots;
use super::budget::execute_with_budget;
use rustc_hash::FxHashMap;

/// What executing a batch's transactions needs, shared by every thread.
pub(crate) struct Execution<'a> {
    /// The batch.
    pub(crate) txs: &'a [Transaction],
    pub(crate) store: &'a dyn AccountsStore,
    pub(crate) env: Environment<'a>,
    /// Copies of the reserved accounts (builtins, sysvars), read here
    /// instead of from the store.
    pub(crate) reserved: &'a FxHashMap<Pubkey, Account>,
    /// Commits that failed; their transactions report `CommitCancelled`.
    pub(crate) store_errors: &'a Mutex<Vec<StoreError>>,
    /// What admission found of each transaction with lookups or a durable
    /// nonce (no slots when the batch has neither).
    pub(crate) admitted: &'a AdmittedSlots,
}

impl Execution<'_> {
    /// The copy of `k` if it is a reserved account: only reserved ids are
    /// kept there, and telling one apart (by its first byte, mostly) is
    /// cheaper than a lookup for the accounts that are not.
    #[inline]
    fn reserved_copy(&self, k: &Pubkey) -> Option<&Account> {
        if ids::is_reserved(k) {
            self.reserved.get(k)
        } else {
            None
        }
    }
}

/// Accounts come from the reserved copies, else from the store.
impl AccountSource for Execution<'_> {
    #[inline]
    fn load(&self, k: &Pubkey) -> Option<Account> {
        match self.reserved_copy(k) {
            Some(a) => Some(a.clone()),
            None => self.store.load(k),
        }
    }

    #[inline]
    fn load_without_data(&self, k: &Pubkey) -> Option<(Account, usize)> {
        match self.reserved_copy(k) {
            Some(a) => Some((
                Account {
                    lamports: a.lamports,
                    data: Vec::new(),
                    owner: a.owner,
                    executable: a.executable,
                    rent_epoch: a.rent_epoch,
                },
                a.data.len(),
            )),
            None => self.store.load_without_data(k),
        }
    }
}

impl Execution<'_> {
    /// Ask the store for the accounts of a transaction the thread will
    /// run next, while it runs the current one (the next one in order,
    /// or the next root of a worker's chunk): its lookups then hit the
    /// cache instead of waiting on memory. Builtins and sysvars come
    /// from `reserved`.
    #[inline]
    pub(crate) fn prefetch(&self, i: usize) {
        let Some(next) = self.txs.get(i) else { return };
        let message = &next.message;
        let by_position = WritableByPosition::of(message);
        for (k, key) in message.account_keys.iter().enumerate() {
            if by_position.contains(k) || !ids::is_reserved(key) {
                self.store.prefetch(key);
            }
        }
        // Loaded keys are never reserved ones written (a reserved key is
        // read-only), so all of them are the store's.
        if let Some(a) = self.admitted.get(i) {
            for key in a.loaded.writable.iter().chain(&a.loaded.readonly) {
                self.store.prefetch(key);
            }
        }
    }

    /// Transaction `i`'s message with the keys its lookups loaded.
    #[inline]
    fn message<'t>(&'t self, i: usize, tx: &'t Transaction) -> LoadedMessage<'t> {
        match self.admitted.get(i) {
            Some(a) => LoadedMessage::new(&tx.message, &a.loaded),
            None => LoadedMessage::legacy(&tx.message),
        }
    }

    /// Execute and commit `tx`, transaction `i` of the batch; also whether
    /// the executor ran it.
    #[inline]
    pub(crate) fn execute(&self, i: usize, tx: &Transaction) -> Executed {
        let store = self.store;
        let nonce = self.admitted.get(i).and_then(|a| a.nonce.as_ref());
        match execute_with_budget(self.message(i, tx), self, self.env, nonce) {
            Err(e) => Executed::refused(e),
            Ok((outcome, fees)) => {
                let status = match store.commit(&outcome.changes) {
                    Ok(()) => outcome.status,
                    Err(e) => {
                        if let Ok(mut v) = self.store_errors.lock() {
                            v.push(e);
                        }
                        Err(TransactionError::CommitCancelled)
                    }
                };
                baton_executor::recycle_changes(outcome.changes);
                let rare =
                    (outcome.return_data.is_some() || outcome.reverted_by.is_some()).then(|| {
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
                    prioritization_fee: fees.prioritization_fee,
                    logs: outcome.logs,
                    rare,
                }
            }
        }
    }

    /// Run transaction `i` on a scheduler thread, its result into that
    /// thread's `list`.
    #[inline]
    pub(crate) fn run_one(&self, list: &mut Vec<Finished>, i: usize) {
        if let Some(tx) = self.txs.get(i) {
            list.push(Finished {
                index: i,
                done: self.execute(i, tx),
            });
        }
    }
}

/// What executing one transaction gave, in a compact record (80 bytes
/// against 224 for a [`TransactionResult`](super::collect::TransactionResult)): the signature is taken from the
/// transaction when the result is built, and the fields that are rarely set
/// are boxed. Threads hand these to the calling thread, so every byte saved
/// is a byte less to move between cores.
pub(crate) struct Executed {
    /// Whether the executor ran the transaction (false: it refused it, say
    /// for a fee payer unable to pay; the status says why).
    pub(crate) executed: bool,
    pub(crate) status: Result<(), TransactionError>,
    pub(crate) compute_units_consumed: u64,
    /// The total fee charged.
    pub(crate) fee: u64,
    /// The part of `fee` that is the prioritization fee.
    pub(crate) prioritization_fee: u64,
    pub(crate) logs: Vec<String>,
    pub(crate) rare: Option<Box<RareOutcome>>,
}

/// The parts of a result most transactions do not have.
pub(crate) struct RareOutcome {
    pub(crate) return_data: Option<(Pubkey, Vec<u8>)>,
    pub(crate) reverted_by: Option<Pubkey>,
}

impl Executed {
    pub(crate) fn refused(err: TransactionError) -> Self {
        Self {
            executed: false,
            status: Err(err),
            compute_units_consumed: 0,
            fee: 0,
            prioritization_fee: 0,
            logs: Vec::new(),
            rare: None,
        }
    }
}

/// An executed transaction waiting to be collected, with its batch index.
pub(crate) struct Finished {
    pub(crate) index: usize,
    pub(crate) done: Executed,
}
