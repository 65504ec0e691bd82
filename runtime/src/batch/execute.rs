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
    pub(crate) fn run_one(&self, list: &mut Finished, i: usize) {
        if let Some(tx) = self.txs.get(i) {
            list.push(i, self.execute(i, tx));
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

/// The records of the transactions one thread executed in a wave, waiting
/// for the calling thread to collect them (see
/// [`Outbox`](super::collect::Outbox)).
///
/// A transaction that succeeded without logs or rare outcomes, as most do,
/// is kept in 24 bytes ([`Plain`]) rather than its 88-byte index and
/// [`Executed`]: the calling thread reads every record a pool thread wrote,
/// and the pool thread then writes the next wave's over lines the calling
/// thread has read, so each byte crosses between cores twice per wave.
/// In the dev VM's slow phases (a cache line between its cores taking
/// ~450 ns) that traffic cost a 2-thread batch 5–7%.
#[derive(Default)]
pub(crate) struct Finished {
    plain: Vec<Plain>,
    /// Everything else, with its batch index.
    full: Vec<(usize, Executed)>,
}

/// A transaction that succeeded with no logs, return data or revert, whose
/// index and units fit 32 bits: the rest of its [`Executed`] goes without
/// saying.
struct Plain {
    index: u32,
    compute_units_consumed: u32,
    fee: u64,
    prioritization_fee: u64,
}

impl Finished {
    /// Keep transaction `index`'s record.
    #[inline]
    pub(crate) fn push(&mut self, index: usize, done: Executed) {
        let plain =
            done.executed && done.status.is_ok() && done.logs.is_empty() && done.rare.is_none();
        match (
            plain,
            u32::try_from(index),
            u32::try_from(done.compute_units_consumed),
        ) {
            (true, Ok(index), Ok(compute_units_consumed)) => self.plain.push(Plain {
                index,
                compute_units_consumed,
                fee: done.fee,
                prioritization_fee: done.prioritization_fee,
            }),
            _ => self.full.push((index, done)),
        }
    }

    /// Whether no record is kept.
    pub(crate) fn is_empty(&self) -> bool {
        self.plain.is_empty() && self.full.is_empty()
    }

    /// Move every record into `slots`, the one of batch index `i` to
    /// `slots[i - start]` (records outside `slots` are dropped), leaving
    /// this list empty with its capacity.
    pub(crate) fn drain_into(&mut self, start: usize, slots: &mut [Option<Executed>]) {
        fn slot(
            slots: &mut [Option<Executed>],
            start: usize,
            index: usize,
        ) -> Option<&mut Option<Executed>> {
            index.checked_sub(start).and_then(|j| slots.get_mut(j))
        }
        for p in self.plain.drain(..) {
            if let Some(slot) = slot(slots, start, p.index as usize) {
                *slot = Some(Executed {
                    executed: true,
                    status: Ok(()),
                    compute_units_consumed: u64::from(p.compute_units_consumed),
                    fee: p.fee,
                    prioritization_fee: p.prioritization_fee,
                    logs: Vec::new(),
                    rare: None,
                });
            }
        }
        for (index, done) in self.full.drain(..) {
            if let Some(slot) = slot(slots, start, index) {
                *slot = Some(done);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn succeeded(cu: u64, fee: u64, prioritization_fee: u64) -> Executed {
        Executed {
            executed: true,
            status: Ok(()),
            compute_units_consumed: cu,
            fee,
            prioritization_fee,
            logs: Vec::new(),
            rare: None,
        }
    }

    /// What a slot holds, comparable.
    fn view(e: &Option<Executed>) -> Option<String> {
        e.as_ref().map(|e| {
            format!(
                "executed {} {:?} units {} fee {} ({}) logs {:?} rare {}",
                e.executed,
                e.status,
                e.compute_units_consumed,
                e.fee,
                e.prioritization_fee,
                e.logs,
                e.rare.is_some()
            )
        })
    }

    #[test]
    fn records_come_back_whole_compact_or_not() {
        let records = || {
            let failed = Executed {
                executed: true,
                status: Err(TransactionError::AccountNotFound),
                ..succeeded(450, 5_000, 0)
            };
            let logged = Executed {
                logs: vec!["Program log: hi".into()],
                ..succeeded(300, 5_000, 0)
            };
            let rare = Executed {
                rare: Some(Box::new(RareOutcome {
                    return_data: Some((Pubkey::new_from_u64(9), vec![1, 2])),
                    reverted_by: None,
                })),
                ..succeeded(200, 5_000, 0)
            };
            vec![
                (10, succeeded(150, 5_000, 0)),
                (11, failed),
                (
                    12,
                    Executed::refused(TransactionError::InsufficientFundsForFee),
                ),
                (13, logged),
                (14, rare),
                (15, succeeded(u64::from(u32::MAX) + 1, 10_000, 7)),
                (16, succeeded(1_400_000, 15_000, 10_000)),
            ]
        };
        let mut list = Finished::default();
        for (i, e) in records() {
            list.push(i, e);
        }
        // Only the two plain successes that fit take the compact form.
        assert_eq!(list.plain.len(), 2);
        assert_eq!(list.full.len(), 5);
        let mut slots: Vec<Option<Executed>> = (0..8).map(|_| None).collect();
        list.drain_into(10, &mut slots);
        assert!(list.is_empty());
        let want: Vec<Option<Executed>> = records().into_iter().map(|(_, e)| Some(e)).collect();
        for (j, (got, want)) in slots.iter().zip(&want).enumerate() {
            assert_eq!(view(got), view(want), "slot {j}");
        }
        assert!(slots[7].is_none());
    }

    #[test]
    fn records_outside_the_slots_are_dropped() {
        let mut list = Finished::default();
        list.push(3, succeeded(1, 5_000, 0));
        list.push(9, succeeded(2, 5_000, 0));
        list.push(4, Executed::refused(TransactionError::AccountNotFound));
        list.push(usize::MAX, succeeded(3, 5_000, 0));
        let mut slots: Vec<Option<Executed>> = (0..2).map(|_| None).collect();
        list.drain_into(4, &mut slots);
        assert!(list.is_empty());
        assert!(view(&slots[0]).is_some_and(|v| v.starts_with("executed false")));
        assert!(slots[1].is_none());
    }
}
