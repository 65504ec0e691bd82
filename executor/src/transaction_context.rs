//! The accounts of one transaction, with their journal.

use std::cell::{Cell, Ref, RefCell};

use baton_types::{Account, Pubkey};

use crate::journal::{Checkpoint, Journal, JournalEntry, RevertTarget};

/// The accounts a transaction loaded, the journal of its changes, its
/// return-data slot and its net account growth.
///
/// Accounts sit in `RefCell`s: a program borrows them through
/// [`crate::BorrowedAccount`], and two mutable borrows of one account (an
/// account passed twice) fail with `AccountBorrowFailed` instead of aliasing.
#[derive(Debug)]
pub struct TransactionContext {
    keys: Vec<Pubkey>,
    accounts: Vec<RefCell<Account>>,
    pub(crate) journal: RefCell<Journal>,
    pub(crate) resize_delta: Cell<i64>,
    return_data: RefCell<(Pubkey, Vec<u8>)>,
}

impl TransactionContext {
    /// A context over `accounts`, keyed by `keys` (same length).
    pub fn new(keys: Vec<Pubkey>, accounts: Vec<Account>) -> Self {
        let n = accounts.len();
        Self {
            keys,
            accounts: accounts.into_iter().map(RefCell::new).collect(),
            journal: RefCell::new(Journal::new(n)),
            resize_delta: Cell::new(0),
            return_data: RefCell::new((Pubkey::default(), Vec::new())),
        }
    }

    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether the transaction has no accounts.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The key of account `index`.
    pub fn key(&self, index: usize) -> Option<&Pubkey> {
        self.keys.get(index)
    }

    /// All keys, in transaction order.
    pub fn keys(&self) -> &[Pubkey] {
        &self.keys
    }

    /// The index of `key`, if the transaction loaded it.
    pub fn find_index(&self, key: &Pubkey) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// The cell of account `index`.
    pub fn account_cell(&self, index: usize) -> Option<&RefCell<Account>> {
        self.accounts.get(index)
    }

    /// Borrow account `index` for reading.
    pub fn account(&self, index: usize) -> Option<Ref<'_, Account>> {
        self.accounts.get(index).and_then(|c| c.try_borrow().ok())
    }

    /// Open a journal checkpoint (one per invoke frame).
    pub fn checkpoint(&self) -> Checkpoint {
        self.journal.borrow_mut().checkpoint()
    }

    /// Keep the changes since `cp`.
    pub fn checkpoint_commit(&self, cp: Checkpoint) {
        self.journal.borrow_mut().checkpoint_commit(cp)
    }

    /// Undo the changes since `cp`.
    pub fn checkpoint_revert(&self, cp: Checkpoint) {
        let target = RevertTarget {
            accounts: &self.accounts,
            resize_delta: &self.resize_delta,
            return_data: &self.return_data,
        };
        self.journal.borrow_mut().checkpoint_revert(cp, &target);
    }

    /// Undo every change the transaction made.
    pub fn revert_all(&self) {
        self.checkpoint_revert(Journal::origin())
    }

    /// Whether account `index` was written.
    pub fn is_touched(&self, index: usize) -> bool {
        self.journal.borrow().is_touched(index)
    }

    /// The return-data slot: the program that set it and the bytes.
    pub fn return_data(&self) -> Ref<'_, (Pubkey, Vec<u8>)> {
        self.return_data.borrow()
    }

    /// Set the return-data slot, journaled.
    pub fn set_return_data(&self, program_id: Pubkey, data: Vec<u8>) {
        let mut slot = self.return_data.borrow_mut();
        let prev = std::mem::replace(&mut *slot, (program_id, data));
        self.journal
            .borrow_mut()
            .record(JournalEntry::ReturnData { prev });
    }

    /// Net bytes of account growth in this transaction so far.
    pub fn resize_delta(&self) -> i64 {
        self.resize_delta.get()
    }

    /// Sum of lamports over the given account indices, each counted once.
    pub(crate) fn lamport_sum(
        &self,
        indices: impl Iterator<Item = usize>,
    ) -> Result<u128, baton_types::InstructionError> {
        let mut sum = 0u128;
        for i in indices {
            let cell = self
                .accounts
                .get(i)
                .ok_or(baton_types::InstructionError::MissingAccount)?;
            let a = cell
                .try_borrow()
                .map_err(|_| baton_types::InstructionError::AccountBorrowOutstanding)?;
            sum += a.lamports as u128;
        }
        Ok(sum)
    }

    /// Take the accounts out, in transaction order.
    pub fn into_accounts(self) -> Vec<(Pubkey, Account)> {
        self.keys
            .into_iter()
            .zip(self.accounts.into_iter().map(RefCell::into_inner))
            .collect()
    }
}
