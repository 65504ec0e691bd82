//! The accounts of one transaction, with their journal.

use std::cell::{Cell, Ref, RefCell};

use baton_types::{Account, InstructionError, Pubkey};

use crate::journal::{AccountMarks, Checkpoint, Journal, JournalEntry, RevertTarget};

/// The accounts a transaction loaded, the journal of its changes, its
/// return-data slot and its net account growth.
///
/// Each account sits in a `RefCell` beside its key and journal marks, all in
/// one vector: a program borrows accounts through [`crate::BorrowedAccount`],
/// and two mutable borrows of one account (an account passed twice) fail with
/// `AccountBorrowFailed` instead of aliasing.
#[derive(Debug)]
pub struct TransactionContext {
    accounts: Vec<ContextAccount>,
    journal: RefCell<Journal>,
    pub(crate) resize_delta: Cell<i64>,
    return_data: RefCell<(Pubkey, Vec<u8>)>,
}

/// One loaded account: its key, the account, its journal marks.
type ContextAccount = (Pubkey, RefCell<Account>, AccountMarks);

thread_local! {
    /// An emptied account list of this thread's last transaction, kept
    /// for its next one.
    static SPARE_ACCOUNTS: RefCell<Vec<ContextAccount>> = const { RefCell::new(Vec::new()) };
    /// An emptied change list handed back with [`recycle_changes`].
    static SPARE_CHANGES: RefCell<Vec<(Pubkey, Account)>> = const { RefCell::new(Vec::new()) };
}

/// Take this thread's spare vector from `slot` (a new one if it has none,
/// or is in use).
fn take_spare<T>(slot: &'static std::thread::LocalKey<RefCell<Vec<T>>>) -> Vec<T> {
    slot.try_with(|s| {
        s.try_borrow_mut()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    })
    .unwrap_or_default()
}

/// Keep `v`, emptied, as this thread's spare in `slot`, unless a larger
/// one is kept already.
fn keep_spare<T>(slot: &'static std::thread::LocalKey<RefCell<Vec<T>>>, mut v: Vec<T>) {
    v.clear();
    let _ = slot.try_with(|s| {
        if let Ok(mut kept) = s.try_borrow_mut() {
            if kept.capacity() < v.capacity() {
                *kept = v;
            }
        }
    });
}

/// Hand a transaction's change list ([`crate::TransactionOutcome::changes`])
/// back once it is committed, so that the next transaction executed on
/// this thread collects its changes into it instead of a new allocation.
/// Optional: a list not handed back is simply freed.
pub fn recycle_changes(changes: Vec<(Pubkey, Account)>) {
    keep_spare(&SPARE_CHANGES, changes);
}

impl TransactionContext {
    /// A context over `accounts`, keyed by `keys` (same length; extra
    /// entries of the longer list are ignored).
    pub fn new(keys: Vec<Pubkey>, accounts: Vec<Account>) -> Self {
        Self::from_accounts(keys.into_iter().zip(accounts))
    }

    /// A context over `(key, account)` pairs, in transaction order.
    pub fn from_accounts(accounts: impl IntoIterator<Item = (Pubkey, Account)>) -> Self {
        // The previous transaction's list, when this thread ran one: with
        // one list allocated and freed per transaction, the allocator takes
        // its slow path every time.
        let mut list = take_spare(&SPARE_ACCOUNTS);
        list.extend(
            accounts
                .into_iter()
                .map(|(k, a)| (k, RefCell::new(a), AccountMarks::new())),
        );
        Self {
            accounts: list,
            journal: RefCell::new(Journal::new()),
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
        self.accounts.get(index).map(|a| &a.0)
    }

    /// The index of `key`, if the transaction loaded it.
    pub fn find_index(&self, key: &Pubkey) -> Option<usize> {
        self.accounts.iter().position(|a| a.0 == *key)
    }

    /// The cell of account `index`.
    pub fn account_cell(&self, index: usize) -> Option<&RefCell<Account>> {
        self.accounts.get(index).map(|a| &a.1)
    }

    /// Borrow account `index` for reading; `None` past the end or while it
    /// is mutably borrowed.
    pub fn account(&self, index: usize) -> Option<Ref<'_, Account>> {
        self.accounts.get(index).and_then(|a| a.1.try_borrow().ok())
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
        self.accounts.get(index).is_some_and(|a| a.2.is_touched())
    }

    /// Record an undo entry for account `index`.
    pub(crate) fn record(&self, index: u16, entry: JournalEntry) {
        let marks = self.accounts.get(index as usize).map(|a| &a.2);
        self.journal.borrow_mut().record(marks, entry);
    }

    /// Record a transaction-wide undo entry.
    pub(crate) fn record_global(&self, entry: JournalEntry) {
        self.journal.borrow_mut().record(None, entry);
    }

    /// Record the data of account `index` before its first write in the
    /// current checkpoint.
    pub(crate) fn record_data(&self, index: u16, data: &[u8]) {
        if let Some(a) = self.accounts.get(index as usize) {
            self.journal.borrow_mut().record_data(&a.2, index, data);
        }
    }

    /// The return-data slot: the program that set it and the bytes.
    pub fn return_data(&self) -> Ref<'_, (Pubkey, Vec<u8>)> {
        self.return_data.borrow()
    }

    /// Set the return-data slot, journaled. Setting what is already there
    /// (the usual reset at an instruction's start) records nothing.
    pub fn set_return_data(&self, program_id: Pubkey, data: Vec<u8>) {
        let mut slot = self.return_data.borrow_mut();
        // Empty data is compared by length only: `==` on two empty vectors
        // still calls `memcmp` on their dangling pointers, and the masked
        // vector load glibc's AVX-512 `memcmp` issues there faults on page
        // zero and is suppressed by a microcode assist of hundreds of
        // cycles (measured: a tenth of a transfer's time).
        let same_data = slot.1.len() == data.len() && (data.is_empty() || slot.1 == data);
        if same_data && slot.0 == program_id {
            return;
        }
        let prev = std::mem::replace(&mut *slot, (program_id, data));
        drop(slot);
        self.record_global(JournalEntry::ReturnData { prev });
    }

    /// Net bytes of account growth in this transaction so far.
    pub fn resize_delta(&self) -> i64 {
        self.resize_delta.get()
    }

    /// Sum of lamports over the given account indices, each counted once.
    pub(crate) fn lamport_sum(
        &self,
        indices: impl Iterator<Item = usize>,
    ) -> Result<u128, InstructionError> {
        let mut sum = 0u128;
        for i in indices {
            let slot = self
                .accounts
                .get(i)
                .ok_or(InstructionError::MissingAccount)?;
            let a = slot
                .1
                .try_borrow()
                .map_err(|_| InstructionError::AccountBorrowOutstanding)?;
            sum += a.lamports as u128;
        }
        Ok(sum)
    }

    /// Take the accounts out, in transaction order.
    pub fn into_accounts(self) -> Vec<(Pubkey, Account)> {
        self.into_accounts_where(|_, _| true)
    }

    /// Take out the accounts for which `keep(index)` holds, in order.
    pub fn into_accounts_where(
        self,
        keep: impl Fn(usize, &AccountMarks) -> bool,
    ) -> Vec<(Pubkey, Account)> {
        let mut accounts = self.accounts;
        let mut out = take_spare(&SPARE_CHANGES);
        out.reserve(accounts.len());
        for (i, (k, a, m)) in accounts.drain(..).enumerate() {
            if keep(i, &m) {
                out.push((k, a.into_inner()));
            }
        }
        keep_spare(&SPARE_ACCOUNTS, accounts);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(lamports: u64) -> Account {
        Account {
            lamports,
            ..Account::default()
        }
    }

    /// The lists a thread's transactions use come back for its next one:
    /// a change list handed back collects the next transaction's changes,
    /// and a context's account list serves the next context, emptied.
    #[test]
    fn lists_are_reused_on_the_thread_and_start_empty() {
        let key = |n: u64| Pubkey::new_from_u64(n);
        let ctx = TransactionContext::from_accounts((0..3).map(|n| (key(n), account(n + 1))));
        let changes = ctx.into_accounts_where(|i, _| i != 1);
        assert_eq!(changes, vec![(key(0), account(1)), (key(2), account(3))]);

        let mut big = changes;
        big.reserve(1_000);
        let (ptr, capacity) = (big.as_ptr(), big.capacity());
        recycle_changes(big);
        let ctx = TransactionContext::from_accounts([(key(9), account(9))]);
        assert_eq!(ctx.len(), 1, "the spare account list starts empty");
        let changes = ctx.into_accounts_where(|_, _| true);
        assert_eq!(changes, vec![(key(9), account(9))]);
        assert_eq!((changes.as_ptr(), changes.capacity()), (ptr, capacity));

        // A smaller list handed back does not replace a larger spare.
        recycle_changes(changes);
        recycle_changes(Vec::with_capacity(1));
        let ctx = TransactionContext::from_accounts([(key(4), account(4))]);
        assert_eq!(ctx.into_accounts_where(|_, _| true).capacity(), capacity);
    }
}
