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

use std::cell::{Cell, RefCell};

use smallvec::SmallVec;

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

/// Per-account bookkeeping the journal keeps beside each account.
#[derive(Debug, Default)]
pub struct AccountMarks {
    /// Generation at which the account's data was last recorded.
    data_generation: Cell<u32>,
    /// Whether the account was written at least once (even if later reverted).
    touched: Cell<bool>,
}

impl AccountMarks {
    /// Fresh marks: nothing recorded, not touched.
    pub fn new() -> Self {
        Self {
            data_generation: Cell::new(u32::MAX),
            touched: Cell::new(false),
        }
    }

    /// Whether the account was written.
    pub fn is_touched(&self) -> bool {
        self.touched.get()
    }
}

/// The state a revert restores into.
pub struct RevertTarget<'a> {
    /// The transaction's accounts.
    pub accounts: &'a [(Pubkey, RefCell<Account>, AccountMarks)],
    /// The transaction's net account growth.
    pub resize_delta: &'a Cell<i64>,
    /// The return-data slot.
    pub return_data: &'a RefCell<(Pubkey, Vec<u8>)>,
}

/// Undo records of one transaction.
#[derive(Debug)]
pub struct Journal {
    /// Most transactions write a few scalars: keep that many inline.
    entries: SmallVec<[JournalEntry; 4]>,
    /// Changes whenever a checkpoint opens or is reverted, so that a
    /// generation match means "recorded within the current scope".
    generation: u32,
}

impl Default for Journal {
    fn default() -> Self {
        Self::new()
    }
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self {
            entries: SmallVec::new(),
            generation: 0,
        }
    }

    /// Record a change to the account whose marks are `marks` (none for
    /// transaction-wide entries).
    pub fn record(&mut self, marks: Option<&AccountMarks>, entry: JournalEntry) {
        if let Some(m) = marks {
            m.touched.set(true);
        }
        self.entries.push(entry);
    }

    /// Record `data` as the old data of account `index`, unless it was already
    /// recorded within the current checkpoint.
    pub fn record_data(&mut self, marks: &AccountMarks, index: u16, data: &[u8]) {
        if marks.data_generation.get() == self.generation {
            return;
        }
        marks.data_generation.set(self.generation);
        self.record(
            Some(marks),
            JournalEntry::Data {
                index,
                prev: data.to_vec(),
            },
        );
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
            let account = |index: u16| {
                target
                    .accounts
                    .get(index as usize)
                    .map(|a| a.1.borrow_mut())
            };
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

    type Slots = Vec<(Pubkey, RefCell<Account>, AccountMarks)>;

    fn slots(accounts: Vec<Account>) -> Slots {
        accounts
            .into_iter()
            .map(|a| (Pubkey::default(), RefCell::new(a), AccountMarks::new()))
            .collect()
    }

    #[test]
    fn nested_revert_restores_state_at_checkpoint() {
        let accs = slots(vec![Account::with_data(10, vec![1, 2], &Pubkey::default())]);
        let d = Cell::new(0);
        let r = RefCell::new((Pubkey::default(), vec![]));
        let target = RevertTarget {
            accounts: &accs,
            resize_delta: &d,
            return_data: &r,
        };
        let mut j = Journal::new();
        let m = &accs[0].2;
        let data = |accs: &Slots| accs[0].1.borrow().data.clone();

        // Outer frame writes data, then an inner frame writes again and reverts.
        j.record_data(m, 0, &data(&accs));
        accs[0].1.borrow_mut().data = vec![3, 4];
        let inner = j.checkpoint();
        j.record_data(m, 0, &data(&accs));
        accs[0].1.borrow_mut().data = vec![5, 6, 7];
        j.record(Some(m), JournalEntry::Lamports { index: 0, prev: 10 });
        accs[0].1.borrow_mut().lamports = 3;
        j.checkpoint_revert(inner, &target);
        assert_eq!(data(&accs), vec![3, 4]);
        assert_eq!(accs[0].1.borrow().lamports, 10);

        // After the inner revert the outer scope records afresh.
        j.record_data(m, 0, &data(&accs));
        accs[0].1.borrow_mut().data = vec![9];
        j.checkpoint_revert(Journal::origin(), &target);
        assert_eq!(data(&accs), vec![1, 2]);
        assert!(j.is_empty());
        assert!(m.is_touched());
    }

    #[test]
    fn data_is_recorded_once_per_checkpoint() {
        let accs = slots(vec![Account::default(), Account::default()]);
        let m = &accs[1].2;
        let mut j = Journal::new();
        j.record_data(m, 1, &[1]);
        j.record_data(m, 1, &[2]);
        assert_eq!(j.len(), 1);
        let cp = j.checkpoint();
        j.record_data(m, 1, &[3]);
        assert_eq!(j.len(), 2);
        j.checkpoint_commit(cp);
        assert!(!accs[0].2.is_touched());
    }
}
