//! The store traits, split by capability.

use std::sync::Arc;

use baton_types::{Account, AccountRef, Pubkey};

use crate::{StateHash, StoreError};

/// Reading accounts. Every method takes `&self` and may run on many threads
/// at once, concurrently with [`AccountsCommit::commit`].
pub trait AccountsRead: Send + Sync {
    /// A copy of the account at `key`, or `None` when there is none. An
    /// account that was committed with zero lamports is absent.
    fn load(&self, key: &Pubkey) -> Option<Account>;

    /// The lamports of the account at `key`, without copying its data.
    fn load_lamports(&self, key: &Pubkey) -> Option<u64> {
        self.load(key).map(|a| a.lamports)
    }

    /// The account at `key` with empty data, and the length of its data:
    /// for an account whose data nobody will read (a program a transaction
    /// only invokes), without copying it.
    fn load_without_data(&self, key: &Pubkey) -> Option<(Account, usize)> {
        self.load(key).map(|mut a| {
            let len = a.data.len();
            a.data = Vec::new();
            (a, len)
        })
    }

    /// Copy the account at `key` into `out`, reusing `out`'s data buffer, and
    /// return `true`; leave `out` unchanged and return `false` when there is
    /// no such account.
    fn load_into(&self, key: &Pubkey, out: &mut Account) -> bool {
        match self.load(key) {
            Some(a) => {
                *out = a;
                true
            }
            None => false,
        }
    }

    /// Lend the account at `key` (`None` when there is none) to `f`, for a
    /// reader that needs a few bytes of a large account, such as the
    /// addresses a transaction takes from an 8 KiB lookup table. A store
    /// that [`lends`](Self::lends) calls `f` on its own copy, under its
    /// read lock: `f` must not call back into the store. The default lends
    /// a copy ([`load`](Self::load)).
    fn read_with(&self, key: &Pubkey, f: &mut dyn FnMut(Option<AccountRef<'_>>)) {
        match self.load(key) {
            Some(a) => f(Some(a.view())),
            None => f(None),
        }
    }

    /// Whether [`read_with`](Self::read_with) lends the store's own copy
    /// (no copying); a reader that uses an account many times may rather
    /// keep one copy of it from a store that does not.
    fn lends(&self) -> bool {
        false
    }

    /// A hint that `key` will be loaded soon: a store may start fetching it
    /// (the in-memory store asks the CPU for the cache lines a lookup reads
    /// first) without waiting. It changes nothing observable; the default
    /// does nothing.
    fn prefetch(&self, key: &Pubkey) {
        let _ = key;
    }

    /// Whether an account exists at `key`.
    fn contains(&self, key: &Pubkey) -> bool {
        self.load_lamports(key).is_some()
    }
}

/// Writing accounts.
///
/// # Concurrency contract
///
/// `commit` takes `&self` and may be called from many threads at once. Calls
/// that write disjoint key sets never interfere and their combined effect is
/// the same in any interleaving. Within one call, the writes to different keys
/// are not one atomic step: a reader of those keys running at the same time
/// may see some written and some not. The parallel scheduler never runs a
/// reader of a key alongside its writer, so it never sees such a mix. Two
/// concurrent calls writing the same key leave one of the two values, which
/// one unspecified.
pub trait AccountsCommit: Send + Sync {
    /// Store every `(key, account)` in `changes`, in order (a key given twice
    /// ends with its last value).
    ///
    /// An account with **zero lamports is removed**: as in Solana, a
    /// zero-lamport account is gone, whatever its data, owner or flags, and a
    /// later [`AccountsRead::load`] returns `None`.
    ///
    /// # Errors
    ///
    /// [`StoreError::DataTooLarge`] when an account's data exceeds
    /// [`baton_types::MAX_PERMITTED_DATA_LENGTH`]; this is checked before any
    /// write, so a refused commit changes nothing. Durable backends also
    /// return [`StoreError::Io`].
    fn commit(&self, changes: &[(Pubkey, Account)]) -> Result<(), StoreError>;
}

/// A complete account store: reads, commits, the state hash and a way to
/// list every account. Object safe: the runtime may hold an
/// `Arc<dyn AccountsStore>`.
pub trait AccountsStore: AccountsRead + AccountsCommit {
    /// The hash of every account in the store (see the crate documentation).
    /// It reflects all commits that returned before the call; take it when no
    /// commit is in flight, e.g. between batches.
    fn state_hash(&self) -> StateHash;

    /// The number of accounts.
    fn len(&self) -> usize;

    /// Whether the store holds no account.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Call `f` once with every account, in an unspecified order. `f` runs
    /// while no lock of the store is held, so it may read or commit.
    ///
    /// # Errors
    ///
    /// What the backend's storage returns; the in-memory store never fails.
    fn for_each_account(&self, f: &mut dyn FnMut(Pubkey, Account)) -> Result<(), StoreError>;

    /// Every account, sorted by key.
    ///
    /// # Errors
    ///
    /// As [`AccountsStore::for_each_account`].
    fn accounts_sorted(&self) -> Result<Vec<(Pubkey, Account)>, StoreError> {
        let mut out = Vec::with_capacity(self.len());
        self.for_each_account(&mut |k, a| out.push((k, a)))?;
        out.sort_unstable_by_key(|(k, _)| *k);
        Ok(out)
    }

    /// Call `f` with every account in increasing key order, stopping at the
    /// first error `f` returns. The default collects
    /// [`AccountsStore::accounts_sorted`]; a store that keeps its keys in
    /// order (the durable one) streams instead, so a snapshot of it needs no
    /// more memory than one account.
    ///
    /// # Errors
    ///
    /// What `f` returns, or what the backend's storage returns.
    fn for_each_account_sorted(
        &self,
        f: &mut dyn FnMut(&Pubkey, &Account) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for (key, account) in self.accounts_sorted()? {
            f(&key, &account)?;
        }
        Ok(())
    }

    /// Mark the end of a batch: every commit made since the previous call
    /// becomes durable, all together or not at all. The runtime calls it
    /// once at the end of each `execute_batch` and after each of its own
    /// writes outside a batch. The in-memory store has nothing to do and
    /// returns `Ok(())` (the default); [`crate::DurableAccounts`] writes the
    /// batch in one database transaction. Call it with no commit in flight.
    ///
    /// # Errors
    ///
    /// The backend's storage error. The batch's commits are then still
    /// visible to loads, not yet durable, and the next successful call
    /// makes them durable together with whatever was committed since.
    fn end_batch(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

macro_rules! forward {
    ($($ptr:ty),*) => {$(
        impl<T: AccountsRead + ?Sized> AccountsRead for $ptr {
            fn load(&self, key: &Pubkey) -> Option<Account> {
                (**self).load(key)
            }
            fn load_lamports(&self, key: &Pubkey) -> Option<u64> {
                (**self).load_lamports(key)
            }
            fn load_into(&self, key: &Pubkey, out: &mut Account) -> bool {
                (**self).load_into(key, out)
            }
            fn load_without_data(&self, key: &Pubkey) -> Option<(Account, usize)> {
                (**self).load_without_data(key)
            }
            fn contains(&self, key: &Pubkey) -> bool {
                (**self).contains(key)
            }
            fn read_with(&self, key: &Pubkey, f: &mut dyn FnMut(Option<AccountRef<'_>>)) {
                (**self).read_with(key, f)
            }
            fn lends(&self) -> bool {
                (**self).lends()
            }
            fn prefetch(&self, key: &Pubkey) {
                (**self).prefetch(key)
            }
        }

        impl<T: AccountsCommit + ?Sized> AccountsCommit for $ptr {
            fn commit(&self, changes: &[(Pubkey, Account)]) -> Result<(), StoreError> {
                (**self).commit(changes)
            }
        }

        impl<T: AccountsStore + ?Sized> AccountsStore for $ptr {
            fn state_hash(&self) -> StateHash {
                (**self).state_hash()
            }
            fn len(&self) -> usize {
                (**self).len()
            }
            fn is_empty(&self) -> bool {
                (**self).is_empty()
            }
            fn for_each_account(
                &self,
                f: &mut dyn FnMut(Pubkey, Account),
            ) -> Result<(), StoreError> {
                (**self).for_each_account(f)
            }
            fn accounts_sorted(&self) -> Result<Vec<(Pubkey, Account)>, StoreError> {
                (**self).accounts_sorted()
            }
            fn for_each_account_sorted(
                &self,
                f: &mut dyn FnMut(&Pubkey, &Account) -> Result<(), StoreError>,
            ) -> Result<(), StoreError> {
                (**self).for_each_account_sorted(f)
            }
            fn end_batch(&self) -> Result<(), StoreError> {
                (**self).end_batch()
            }
        }
    )*};
}

forward!(&T, Box<T>, Arc<T>);
