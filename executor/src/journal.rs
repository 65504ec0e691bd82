//! The per-transaction journal: undo records for every change, with
//! checkpoints for nested frames.
//!
//! The shape is revm's `JournaledState`: a flat list of undo entries, one
//! enum variant per kind of change, and checkpoints that are just positions
//! in that list. [`Journal::checkpoint`] marks a position;
//! [`Journal::checkpoint_commit`] keeps the entries (they now belong to the
//! enclosing frame, so the enclosing frame can still undo them);
//! [`Journal::checkpoint_revert`] pops and applies entries back to the mark.
//! A failed transaction reverts to the empty journal, restoring every account
//! as it was loaded — the fee was charged before the journal started and so
//! stays charged.
//!
//! Nothing is cloned up front. Lamport, owner and executable changes record
//! the old scalar on every write (cheap). Data is recorded whole, but only on
//! the first mutable access to an account within the innermost open
//! checkpoint: a revert restores the *oldest* record of an account after the
//! mark, so later records inside the same checkpoint would never be used.

use std::cell::RefCell;

use baton_types::{Account, Pubkey};

/// One undo record. Each variant says what changed and how revert restores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalEntry {
    /// The lamports of account `index` were `prev`. Revert: set them back.
    Lamports {
        /// Transaction account index.
        index: u16,
        /// Balance before the write.
        prev: u64,
    },
    /// The data of account `index` was `prev` before the first mutable access
    /// in the current checkpoint. Revert: put the old bytes (and length) back.
    Data {
        /// Transaction account index.
        index: u16,
        /// Data before the access.
        prev: Vec<u8>,
    },
    /// The owner of account `index` was `prev`. Revert: set it back.
    Owner {
        /// Transaction account index.
        index: u16,
        /// Owner before the write.
        prev: Pubkey,
    },
    /// The executable flag of account `index` was `prev`. Revert: set it back.
    Executable {
        /// Transaction account index.
        index: u16,
        /// Flag before the write.
        prev: bool,
    },
    /// The transaction's net account growth was `prev`. Revert: set it back.
    ResizeDelta {
        /// Growth before the resize.
        prev: i64,
    },
    /// The return-data slot held `prev`. Revert: put it back.
    ReturnData {
        /// Program id and bytes before the write.
        prev: (Pubkey, Vec<u8>),
    },
}

/// A position in the journal returned by [`Journal::checkpoint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a checkpoint must be committed or reverted"]
pub struct Checkpoint {
    len: usize,
}

/// The state a revert restores into.
pub struct RevertTarget<'a> {
    /// The transaction's accounts.
    pub accounts: &'a [RefCell<Account>],
    /// The transaction's net account growth.
    pub resize_delta: &'a std::cell::Cell<i64>,
    /// The return-data slot.
    pub return_data: &'a RefCell<(Pubkey, Vec<u8>)>,
}

/// Undo records of one transaction.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Vec<JournalEntry>,
    /// Generation at which each account's data was last recorded.
    data_generation: Vec<u32>,
    /// Changes whenever a checkpoint opens or is reverted, so that a
    /// generation match means "recorded within the current scope".
    generation: u32,
    /// Accounts written at least once (even if later reverted).
    touched: Vec<bool>,
}

impl Journal {
    /// A journal for a transaction of `num_accounts` accounts.
    pub fn new(num_accounts: usize) -> Self {
        Self {
            entries: Vec::new(),
            data_generation: vec![u32::MAX; num_accounts],
            generation: 0,
            touched: vec![false; num_accounts],
        }
    }

    /// Record a change.
    pub fn record(&mut self, entry: JournalEntry) {
        match &entry {
            JournalEntry::Lamports { index, .. }
            | JournalEntry::Data { index, .. }
            | JournalEntry::Owner { index, .. }
            | JournalEntry::Executable { index, .. } => {
                if let Some(t) = self.touched.get_mut(*index as usize) {
                    *t = true;
                }
            }
            JournalEntry::ResizeDelta { .. } | JournalEntry::ReturnData { .. } => {}
        }
        self.entries.push(entry);
    }

    /// Record `data` as the old data of account `index`, unless it was already
    /// recorded within the current checkpoint.
    pub fn record_data(&mut self, index: u16, data: &[u8]) {
        let i = index as usize;
        if self.data_generation.get(i) == Some(&self.generation) {
            return;
        }
        if let Some(g) = self.data_generation.get_mut(i) {
            *g = self.generation;
        }
        self.record(JournalEntry::Data {
            index,
            prev: data.to_vec(),
        });
    }

    /// Open a checkpoint.
    pub fn checkpoint(&mut self) -> Checkpoint {
        self.generation = self.generation.wrapping_add(1);
        Checkpoint {
            len: self.entries.len(),
        }
    }

    /// Close a checkpoint keeping its changes; they merge into the enclosing one.
    pub fn checkpoint_commit(&mut self, _cp: Checkpoint) {}

    /// Undo every change since `cp`, newest first.
    pub fn checkpoint_revert(&mut self, cp: Checkpoint, target: &RevertTarget<'_>) {
        while self.entries.len() > cp.len {
            let Some(entry) = self.entries.pop() else {
                break;
            };
            let account = |index: u16| target.accounts.get(index as usize).map(|a| a.borrow_mut());
            match entry {
                JournalEntry::Lamports { index, prev } => {
                    if let Some(mut a) = account(index) {
                        a.lamports = prev;
                    }
                }
                JournalEntry::Data { index, prev } => {
                    if let Some(mut a) = account(index) {
                        a.data = prev;
                    }
                }
                JournalEntry::Owner { index, prev } => {
                    if let Some(mut a) = account(index) {
                        a.owner = prev;
                    }
                }
                JournalEntry::Executable { index, prev } => {
                    if let Some(mut a) = account(index) {
                        a.executable = prev;
                    }
                }
                JournalEntry::ResizeDelta { prev } => target.resize_delta.set(prev),
                JournalEntry::ReturnData { prev } => *target.return_data.borrow_mut() = prev,
            }
        }
        // Records made before the revert no longer cover the current scope.
        self.generation = self.generation.wrapping_add(1);
    }

    /// The journal's start, for reverting a whole transaction.
    pub fn origin() -> Checkpoint {
        Checkpoint { len: 0 }
    }

    /// Whether account `index` was written at all.
    pub fn is_touched(&self, index: usize) -> bool {
        self.touched.get(index).copied().unwrap_or(false)
    }

    /// Number of undo records held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no change was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn target<'a>(
        accs: &'a [RefCell<Account>],
        d: &'a Cell<i64>,
        r: &'a RefCell<(Pubkey, Vec<u8>)>,
    ) -> RevertTarget<'a> {
        RevertTarget {
            accounts: accs,
            resize_delta: d,
            return_data: r,
        }
    }

    #[test]
    fn nested_revert_restores_state_at_checkpoint() {
        let accs = vec![RefCell::new(Account::with_data(
            10,
            vec![1, 2],
            &Pubkey::default(),
        ))];
        let d = Cell::new(0);
        let r = RefCell::new((Pubkey::default(), vec![]));
        let mut j = Journal::new(1);

        // Outer frame writes data, then an inner frame writes again and reverts.
        j.record_data(0, &accs[0].borrow().data);
        accs[0].borrow_mut().data = vec![3, 4];
        let inner = j.checkpoint();
        j.record_data(0, &accs[0].borrow().data);
        accs[0].borrow_mut().data = vec![5, 6, 7];
        j.record(JournalEntry::Lamports { index: 0, prev: 10 });
        accs[0].borrow_mut().lamports = 3;
        j.checkpoint_revert(inner, &target(&accs, &d, &r));
        assert_eq!(accs[0].borrow().data, vec![3, 4]);
        assert_eq!(accs[0].borrow().lamports, 10);

        // After the inner revert the outer scope records afresh.
        j.record_data(0, &accs[0].borrow().data);
        accs[0].borrow_mut().data = vec![9];
        j.checkpoint_revert(Journal::origin(), &target(&accs, &d, &r));
        assert_eq!(accs[0].borrow().data, vec![1, 2]);
        assert!(j.is_empty());
        assert!(j.is_touched(0));
    }

    #[test]
    fn data_is_recorded_once_per_checkpoint() {
        let mut j = Journal::new(2);
        j.record_data(1, &[1]);
        j.record_data(1, &[2]);
        assert_eq!(j.len(), 1);
        let cp = j.checkpoint();
        j.record_data(1, &[3]);
        assert_eq!(j.len(), 2);
        j.checkpoint_commit(cp);
    }
}
