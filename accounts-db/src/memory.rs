//! The in-memory store: sharded hash maps under reader-writer locks.

use std::fmt;
use std::path::Path;

use baton_types::fast::prefetch_line;
use baton_types::{Account, AccountRef, Pubkey, MAX_PERMITTED_DATA_LENGTH};
use parking_lot::RwLock;
use rayon::prelude::*;

use crate::hash::hash_fields;
use crate::table::{KeyTable, PrefetchHint};
use crate::{
    AccountsCommit, AccountsRead, AccountsStore, HashSum, PubkeyHasherBuilder, StateHash,
    StoreError,
};

/// How many shards a store has. Not a power of two on purpose: with 2^k
/// shards a store of 1,000,000 accounts puts ~0.95·2^m entries in each, just
/// past the 7/8 load limit of the hash table, and every shard doubles to a
/// table that is half empty; 192 shards leave them 64% full.
const SHARDS: usize = 192;

/// The capacity a shard's pending lists keep after a flush.
const FLUSHED_CAPACITY: usize = 256;

/// One account as the store keeps it: 72 bytes plus the data, which is a
/// boxed slice (16 bytes, no spare capacity) rather than a `Vec` (24 bytes).
struct Entry {
    lamports: u64,
    rent_epoch: u64,
    owner: Pubkey,
    data: Box<[u8]>,
    executable: bool,
    /// Whether this entry's digest is included in its shard's `sum`. An
    /// entry that is not counted has its key in the shard's `dirty` list.
    counted: bool,
}

impl Entry {
    fn new(account: &Account) -> Self {
        Self {
            lamports: account.lamports,
            rent_epoch: account.rent_epoch,
            owner: account.owner,
            data: Box::from(account.data.as_slice()),
            executable: account.executable,
            counted: false,
        }
    }

    fn from_owned(account: Account) -> Self {
        Self {
            lamports: account.lamports,
            rent_epoch: account.rent_epoch,
            owner: account.owner,
            data: account.data.into_boxed_slice(),
            executable: account.executable,
            counted: false,
        }
    }

    fn view(&self) -> AccountRef<'_> {
        AccountRef::new(
            self.lamports,
            &self.data,
            &self.owner,
            self.executable,
            self.rent_epoch,
        )
    }

    fn to_account(&self) -> Account {
        self.view().to_account()
    }

    fn digest(&self, key: &Pubkey) -> [u8; 32] {
        hash_fields(
            key,
            self.lamports,
            self.rent_epoch,
            &self.owner,
            self.executable,
            &self.data,
        )
    }
}

/// One shard: a map and its part of the state hash, kept up to date lazily.
///
/// Invariant: `sum` is the sum of the digests of every counted entry in
/// `map` plus every entry in `retired`. `flush` subtracts the retired digests
/// and adds the digests of the uncounted entries, after which `sum` is the
/// sum over `map` exactly. A commit thus costs no hashing at all; each
/// account changed between two state hashes is hashed once (plus once more
/// for its old value, if that had been counted), and unchanged accounts are
/// never hashed again.
struct Shard {
    map: KeyTable<Entry>,
    sum: HashSum,
    /// Keys whose entries may be uncounted: a superset of the uncounted keys
    /// in `map`, possibly with repeats and keys since removed.
    dirty: Vec<Pubkey>,
    /// Counted entries replaced or removed since the last flush; their
    /// digests are still in `sum`.
    retired: Vec<(Pubkey, Entry)>,
}

impl Shard {
    fn new(capacity: usize, hasher: PubkeyHasherBuilder) -> Self {
        Self {
            map: KeyTable::with_capacity(capacity, hasher),
            sum: HashSum::ZERO,
            dirty: Vec::new(),
            retired: Vec::new(),
        }
    }

    /// Store `entry` at `key`; returns an entry to drop once the lock is
    /// released.
    fn put(&mut self, key: Pubkey, hash: u64, entry: Entry) -> Option<Entry> {
        let garbage = match self.map.insert_hashed(key, hash, entry) {
            Some(old) if old.counted => {
                self.retired.push((key, old));
                self.dirty.push(key);
                None
            }
            // Never hashed: its key is already in `dirty`.
            Some(old) => Some(old),
            None => {
                self.dirty.push(key);
                None
            }
        };
        self.bound_dirty();
        garbage
    }

    /// Remove `key`; returns an entry to drop once the lock is released.
    fn remove(&mut self, key: &Pubkey, hash: u64) -> Option<Entry> {
        let old = self.map.remove_hashed(key, hash)?;
        if old.counted {
            self.retired.push((*key, old));
            None
        } else {
            // Its key stays in `dirty`, where `flush` will skip it.
            Some(old)
        }
    }

    /// `dirty` grows past the map only when keys are removed and created
    /// again; flushing then keeps it bounded, at an amortised cost of less
    /// than one hash per push.
    fn bound_dirty(&mut self) {
        if self.dirty.len() > 2 * self.map.len() + 1024 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (key, old) in self.retired.drain(..) {
            self.sum.sub(&old.digest(&key));
        }
        for key in self.dirty.drain(..) {
            if let Some(e) = self.map.get_mut(&key) {
                if !e.counted {
                    self.sum.add(&e.digest(&key));
                    e.counted = true;
                }
            }
        }
        // A bulk load leaves these lists as long as the map; give that
        // memory back rather than keep it for the next small batch.
        self.dirty.shrink_to(FLUSHED_CAPACITY);
        self.retired.shrink_to(FLUSHED_CAPACITY);
    }
}

/// Pads a shard to its own cache lines so that locks of neighbouring shards
/// taken by different cores do not share a line.
#[repr(align(128))]
struct Padded(RwLock<Shard>);

/// The default [`AccountsStore`]: accounts in memory, in 192 hash-map shards
/// each behind a `parking_lot` reader-writer lock.
///
/// A key's shard is chosen from its hash, so concurrent commits of disjoint
/// keys nearly always take different locks, and readers share them. A load
/// takes one shared lock and copies the account out; a commit takes one
/// exclusive lock per account and does no hashing, which is deferred to
/// [`AccountsStore::state_hash`] (see the crate documentation).
pub struct InMemoryAccounts {
    shards: Box<[Padded]>,
    /// Where each shard's table lies, for prefetching without its lock.
    hints: Box<[PrefetchHint<Entry>]>,
    hasher: PubkeyHasherBuilder,
}

impl Default for InMemoryAccounts {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for InMemoryAccounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryAccounts")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl InMemoryAccounts {
    /// An empty store.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty store with room for about `capacity` accounts before any
    /// table grows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_capacity_and_hasher(capacity, PubkeyHasherBuilder::new())
    }

    /// [`InMemoryAccounts::with_capacity`] with a given key hasher (e.g. a
    /// fixed seed for reproducible benchmarks). Results never depend on it.
    pub fn with_capacity_and_hasher(capacity: usize, hasher: PubkeyHasherBuilder) -> Self {
        let per_shard = if capacity == 0 {
            0
        } else {
            // The mean plus three standard deviations of a shard's share.
            let mean = capacity / SHARDS;
            mean + 3 * (mean as f64).sqrt() as usize + 8
        };
        let shards = (0..SHARDS)
            .map(|_| Padded(RwLock::new(Shard::new(per_shard, hasher))))
            .collect();
        let hints = (0..SHARDS).map(|_| PrefetchHint::default()).collect();
        let store = Self {
            shards,
            hints,
            hasher,
        };
        for i in 0..SHARDS {
            store.publish(i, &store.shards[i].0.read());
        }
        store
    }

    /// The shard holding `key`.
    #[cfg(test)]
    fn shard(&self, key: &Pubkey) -> &RwLock<Shard> {
        self.shard_at(self.hasher.hash_key(key))
    }

    /// The index of the shard of the key whose hash is `h`: from bits
    /// 24..56 of the hash by a multiply-shift, always below `SHARDS`. The
    /// table inside the shard uses the low bits (slot index) and the top
    /// seven (tag), so the three do not correlate.
    #[inline(always)]
    fn shard_index(h: u64) -> usize {
        let x = u64::from((h >> 24) as u32);
        ((x * SHARDS as u64) >> 32) as usize
    }

    /// The shard of the key whose hash is `h`.
    #[inline(always)]
    fn shard_at(&self, h: u64) -> &RwLock<Shard> {
        // The index is always below `SHARDS`; `get` keeps this free of
        // panics all the same.
        match self.shards.get(Self::shard_index(h)) {
            Some(p) => &p.0,
            None => &self.shards[0].0,
        }
    }

    /// Store `entry` at `key` (hash `h`) under its shard's lock, and publish
    /// the shard's table layout if the insertion moved it. Returns what to
    /// drop once the lock is released.
    #[inline]
    fn put(&self, key: Pubkey, h: u64, entry: Entry) -> Option<Entry> {
        let i = Self::shard_index(h);
        let mut shard = self.shard_at(h).write();
        let garbage = shard.put(key, h, entry);
        self.publish(i, &shard);
        garbage
    }

    #[inline]
    fn publish(&self, i: usize, shard: &Shard) {
        if let Some(hint) = self.hints.get(i) {
            hint.publish(&shard.map);
        }
    }

    /// Store an owned account without copying its data. Same rules as
    /// [`AccountsCommit::commit`]: zero lamports removes.
    ///
    /// # Errors
    ///
    /// [`StoreError::DataTooLarge`], and the store is unchanged.
    pub fn store_account(&self, key: Pubkey, account: Account) -> Result<(), StoreError> {
        check_len(&key, &account)?;
        let garbage = if account.lamports == 0 {
            self.remove(&key, self.hasher.hash_key(&key))
        } else {
            let entry = Entry::from_owned(account);
            self.put(key, self.hasher.hash_key(&key), entry)
        };
        drop(garbage);
        Ok(())
    }

    /// Write the store to a snapshot file at `path`, atomically replacing
    /// any file there. See [`crate::save_snapshot`].
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] naming the path that failed; the file at `path`
    /// is then as it was.
    pub fn save_snapshot(&self, path: impl AsRef<Path>) -> Result<(), StoreError> {
        crate::snapshot::save_snapshot(self, path.as_ref())
    }

    /// Read a store from the snapshot file at `path`, checking all of it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] when the file cannot be read,
    /// [`StoreError::UnsupportedVersion`], or [`StoreError::CorruptSnapshot`]
    /// saying what is wrong; never a partly loaded store.
    pub fn load_snapshot(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let mut reader = crate::SnapshotReader::open(path.as_ref())?;
        let store = Self::with_capacity(reader.capacity_hint());
        while let Some((key, account)) = reader.next_account()? {
            // The reader guarantees nonzero lamports, bounded data and
            // strictly increasing keys.
            let entry = Entry::from_owned(account);
            drop(store.put(key, store.hasher.hash_key(&key), entry));
        }
        reader.finish()?;
        Ok(store)
    }
}

fn check_len(key: &Pubkey, account: &Account) -> Result<(), StoreError> {
    if account.data.len() > MAX_PERMITTED_DATA_LENGTH {
        return Err(StoreError::DataTooLarge {
            key: *key,
            len: account.data.len(),
            max: MAX_PERMITTED_DATA_LENGTH,
        });
    }
    Ok(())
}

impl InMemoryAccounts {
    /// `f` of the entry at `key` under its shard's read lock, hashing the
    /// key once for both the shard and the table.
    #[inline]
    fn read_entry<R>(&self, key: &Pubkey, f: impl FnOnce(&Entry) -> R) -> Option<R> {
        let h = self.hasher.hash_key(key);
        self.shard_at(h).read().map.get_hashed(key, h).map(f)
    }

    /// Remove `key` (hash `h`); returns what to drop once the lock is released.
    #[inline]
    fn remove(&self, key: &Pubkey, h: u64) -> Option<Entry> {
        self.shard_at(h).write().remove(key, h)
    }
}

impl AccountsRead for InMemoryAccounts {
    #[inline]
    fn load(&self, key: &Pubkey) -> Option<Account> {
        self.read_entry(key, Entry::to_account)
    }

    #[inline]
    fn load_lamports(&self, key: &Pubkey) -> Option<u64> {
        self.read_entry(key, |e| e.lamports)
    }

    #[inline]
    fn load_without_data(&self, key: &Pubkey) -> Option<(Account, usize)> {
        self.read_entry(key, |e| {
            let account = Account {
                lamports: e.lamports,
                data: Vec::new(),
                owner: e.owner,
                executable: e.executable,
                rent_epoch: e.rent_epoch,
            };
            (account, e.data.len())
        })
    }

    #[inline]
    fn load_into(&self, key: &Pubkey, out: &mut Account) -> bool {
        self.read_entry(key, |e| {
            out.lamports = e.lamports;
            out.rent_epoch = e.rent_epoch;
            out.owner = e.owner;
            out.executable = e.executable;
            out.data.clear();
            out.data.extend_from_slice(&e.data);
        })
        .is_some()
    }

    /// Lends the entry under its shard's read lock: a lookup of two
    /// addresses in an 8 KiB table copies 64 bytes, not the table.
    fn read_with(&self, key: &Pubkey, f: &mut dyn FnMut(Option<AccountRef<'_>>)) {
        if self.read_entry(key, |e| f(Some(e.view()))).is_none() {
            f(None);
        }
    }

    fn lends(&self) -> bool {
        true
    }

    #[inline]
    fn prefetch(&self, key: &Pubkey) {
        let h = self.hasher.hash_key(key);
        let i = Self::shard_index(h);
        if let (Some(hint), Some(shard)) = (self.hints.get(i), self.shards.get(i)) {
            hint.prefetch(h);
            // The shard's lock word, which the load will take.
            prefetch_line(std::ptr::from_ref(shard).cast::<u8>());
        }
    }

    #[inline]
    fn contains(&self, key: &Pubkey) -> bool {
        self.read_entry(key, |_| ()).is_some()
    }
}

impl AccountsCommit for InMemoryAccounts {
    fn commit(&self, changes: &[(Pubkey, Account)]) -> Result<(), StoreError> {
        for (key, account) in changes {
            check_len(key, account)?;
        }
        for (key, account) in changes {
            let h = self.hasher.hash_key(key);
            let garbage = if account.lamports == 0 {
                self.remove(key, h)
            } else {
                // Copy the data before taking the lock, and free replaced
                // data after releasing it: the critical section is a probe
                // and a few stores.
                let entry = Entry::new(account);
                self.put(*key, h, entry)
            };
            drop(garbage);
        }
        Ok(())
    }
}

impl AccountsStore for InMemoryAccounts {
    fn state_hash(&self) -> StateHash {
        // Each shard is flushed under its own exclusive lock, in parallel;
        // no two locks are held at once. Addition mod 2^256 is commutative,
        // so neither the shard count nor the order of the reduction shows in
        // the result.
        let (sum, count) = self
            .shards
            .par_iter()
            .map(|p| {
                let mut shard = p.0.write();
                if !shard.dirty.is_empty() || !shard.retired.is_empty() {
                    shard.flush();
                }
                (shard.sum, shard.map.len() as u64)
            })
            .reduce(
                || (HashSum::ZERO, 0),
                |(mut s, n), (s2, n2)| {
                    s.merge(&s2);
                    (s, n + n2)
                },
            );
        sum.finalize(count)
    }

    fn len(&self) -> usize {
        self.shards.iter().map(|p| p.0.read().map.len()).sum()
    }

    fn for_each_account(&self, f: &mut dyn FnMut(Pubkey, Account)) -> Result<(), StoreError> {
        let mut buf = Vec::new();
        for p in self.shards.iter() {
            // Copy one shard out, then call `f` with no lock held.
            buf.extend(p.0.read().map.iter().map(|(k, e)| (*k, e.to_account())));
            for (k, a) in buf.drain(..) {
                f(k, a);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
