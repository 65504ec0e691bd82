//! The durable store: accounts in a redb database, batches committed
//! atomically through an in-memory overlay.

use std::collections::hash_map::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use baton_types::{Account, Pubkey};
use parking_lot::{Mutex, RwLock};
use redb::{ReadOnlyTable, ReadableDatabase, ReadableTable};

mod format;
mod verify;

pub use format::STORE_VERSION;
use format::*;

use crate::hash::account_hash;
use crate::snapshot::{io_err, temp_beside};
use crate::{
    AccountsCommit, AccountsRead, AccountsStore, HashSum, PubkeyHasherBuilder, SnapshotReader,
    StateHash, StoreError, StoreFileProblem,
};

/// Overlay shards: enough that worker threads committing disjoint keys
/// rarely meet on a lock.
const OVERLAY_SHARDS: usize = 64;

/// Accounts written since the last [`AccountsStore::end_batch`]: a key maps
/// to its new account, or to `None` when it was removed.
type OverlayShard = HashMap<Pubkey, Option<Account>, PubkeyHasherBuilder>;

#[repr(align(128))]
struct Padded(RwLock<OverlayShard>);

/// Settings of a [`DurableAccounts`] store that are not part of its file:
/// a store may be reopened with other options.
///
/// ```
/// # use baton_accounts_db::DurableOptions;
/// let small = DurableOptions::default().with_cache_bytes(32 << 20);
/// assert_eq!(small.cache_bytes, 32 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DurableOptions {
    /// The most bytes of database pages redb keeps in memory: pages read
    /// (an LRU cache) plus pages written and not yet flushed to the file
    /// (at most half of it; more are written out early). It fills only as
    /// pages are touched, so a store smaller than the cache takes about its
    /// own size. The default, [`DurableOptions::DEFAULT_CACHE_BYTES`]
    /// (1 GiB, redb's own default), keeps a store of up to about 1 GiB
    /// entirely in memory once read, as fast as it can be; set it lower to
    /// bound the memory of a larger store (16 MiB is enough for it to
    /// work, at the cost of a disk read for most loads of a cold account).
    /// Zero is allowed: no page is cached.
    pub cache_bytes: usize,
}

impl DurableOptions {
    /// The default [`DurableOptions::cache_bytes`]: 1 GiB.
    pub const DEFAULT_CACHE_BYTES: usize = 1 << 30;

    /// These options with a page cache of `bytes`.
    #[must_use]
    pub const fn with_cache_bytes(mut self, bytes: usize) -> Self {
        self.cache_bytes = bytes;
        self
    }

    fn builder(&self) -> redb::Builder {
        let mut b = redb::Database::builder();
        b.set_cache_size(self.cache_bytes);
        b
    }
}

impl Default for DurableOptions {
    fn default() -> Self {
        Self {
            cache_bytes: Self::DEFAULT_CACHE_BYTES,
        }
    }
}

/// A durable [`AccountsStore`] in one redb database file.
///
/// # Batches and atomicity
///
/// [`AccountsCommit::commit`] writes into an in-memory overlay, sharded like
/// the in-memory store, so the commits of a batch's transactions, running on
/// many threads, cost no I/O and later transactions see earlier ones'
/// writes. Loads look in the overlay first and then in the database.
/// [`AccountsStore::end_batch`] writes the whole overlay in **one** redb
/// write transaction, together with the new state hash sum, account count
/// and batch counter, and commits it with immediate durability (fsync).
/// After a crash the file therefore holds the state before or after each
/// batch, never a mix; commits not yet ended are lost.
///
/// # The state hash
///
/// Each stored value carries its account's digest; the metadata keeps the
/// digest sum and account count of the committed state, updated in the same
/// transaction as the accounts, so reopening a store gives its state hash
/// at once, without rehashing. It equals the in-memory store's hash of the
/// same accounts. [`DurableAccounts::verify`] rehashes every account and
/// checks it against the metadata. `open` does not rehash, but it has redb
/// verify the checksum of every page (a read of the whole file, once per
/// open), so a truncated or altered file is refused with
/// [`StoreError::BadStoreFile`] instead of being trusted.
///
/// # Memory
///
/// Only the overlay (one batch's writes) and redb's page cache, whose size
/// [`DurableOptions::cache_bytes`] bounds, are held in memory, so the store
/// may hold more state than fits in memory; [`DurableAccounts::import_snapshot`]
/// and snapshot export stream, and loads, commits, the state hash and
/// [`DurableAccounts::verify`] hold nothing per stored account.
pub struct DurableAccounts {
    db: redb::Database,
    path: PathBuf,
    overlay: Box<[Padded]>,
    hasher: PubkeyHasherBuilder,
    /// The committed state's accounts, as of the last `end_batch`.
    base: RwLock<Arc<ReadOnlyTable<&'static [u8; 32], &'static [u8]>>>,
    summary: Mutex<Summary>,
    /// Serialises `end_batch` calls.
    flush: Mutex<()>,
}

impl fmt::Debug for DurableAccounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DurableAccounts")
            .field("path", &self.path)
            .field("summary", &*self.summary.lock())
            .finish_non_exhaustive()
    }
}

impl DurableAccounts {
    /// Open the store file at `path`, creating an empty store when no file
    /// exists there. A new file is built under a temporary name in the same
    /// directory and renamed into place, so a crash during creation leaves
    /// either no file or a complete empty store.
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] for a failing file operation;
    /// [`StoreError::BadStoreFile`] when the file is empty, not a redb
    /// database, truncated or corrupt, holds no store metadata, has
    /// malformed metadata, or is open elsewhere;
    /// [`StoreError::UnsupportedStoreVersion`] for another format version.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, &DurableOptions::default())
    }

    /// [`DurableAccounts::open`] with `options` (the page cache size).
    ///
    /// # Errors
    ///
    /// As [`DurableAccounts::open`].
    pub fn open_with(path: impl AsRef<Path>, options: &DurableOptions) -> Result<Self, StoreError> {
        let path = path.as_ref();
        match std::fs::metadata(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create_file(path)?,
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        }
        Self::open_existing_with(path, options)
    }

    /// Open the store file at `path`, which must exist.
    ///
    /// # Errors
    ///
    /// As [`DurableAccounts::open`]; a missing file is [`StoreError::Io`]
    /// with kind `NotFound`.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_existing_with(path, &DurableOptions::default())
    }

    /// [`DurableAccounts::open_existing`] with `options`.
    ///
    /// # Errors
    ///
    /// As [`DurableAccounts::open_existing`].
    pub fn open_existing_with(
        path: impl AsRef<Path>,
        options: &DurableOptions,
    ) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let len = std::fs::metadata(path)
            .map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .len();
        if len == 0 {
            return Err(bad(path, StoreFileProblem::Empty));
        }
        let db = options
            .builder()
            .set_check_integrity_on_open(true)
            .open(path)
            .map_err(|e| open_err(path, e))?;
        Self::from_db(db, path)
    }

    /// The store over the open database `db`, whose file is at `path`.
    fn from_db(db: redb::Database, path: &Path) -> Result<Self, StoreError> {
        let summary = Self::read_meta(&db, path)?;
        let base = Self::read_base(&db, path)?;
        let hasher = PubkeyHasherBuilder::new();
        Ok(Self {
            db,
            path: path.to_path_buf(),
            overlay: (0..OVERLAY_SHARDS)
                .map(|_| Padded(RwLock::new(HashMap::with_hasher(hasher))))
                .collect(),
            hasher,
            base: RwLock::new(Arc::new(base)),
            summary: Mutex::new(summary),
            flush: Mutex::new(()),
        })
    }

    fn create_file(path: &Path) -> Result<(), StoreError> {
        let (tmp, dir) = temp_beside(path, ".baton-store-")?;
        drop(Self::create_db(
            tmp.path(),
            path,
            &DurableOptions::default(),
        )?);
        tmp.as_file().sync_all().map_err(io_err(path))?;
        tmp.persist(path).map_err(|e| StoreError::Io {
            path: path.to_path_buf(),
            source: e.error,
        })?;
        crate::snapshot::sync_dir(dir)
    }

    /// Create an empty store database in the empty file at `file`, for a
    /// store that will be at `path` (which errors name).
    fn create_db(
        file: &Path,
        path: &Path,
        options: &DurableOptions,
    ) -> Result<redb::Database, StoreError> {
        let db = options
            .builder()
            .create(file)
            .map_err(|e| db_err(path)(e.into()))?;
        let txn = db.begin_write().map_err(|e| db_err(path)(e.into()))?;
        write_initial_meta(&txn).map_err(db_err(path))?;
        txn.commit().map_err(|e| db_err(path)(e.into()))?;
        Ok(db)
    }

    fn read_meta(db: &redb::Database, path: &Path) -> Result<Summary, StoreError> {
        let txn = db.begin_read().map_err(|e| db_err(path)(e.into()))?;
        let meta = match txn.open_table(META) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => {
                return Err(bad(path, StoreFileProblem::NotAStore))
            }
            Err(e) => return Err(bad(path, StoreFileProblem::Unreadable(e.to_string()))),
        };
        let get = |key: &'static str, len: Option<usize>| -> Result<Vec<u8>, StoreError> {
            let v = meta
                .get(key)
                .map_err(|e| bad(path, StoreFileProblem::Unreadable(e.to_string())))?
                .map(|g| g.value().to_vec());
            match v {
                Some(v) if len.is_none_or(|n| n == v.len()) => Ok(v),
                _ if key == "format" => Err(bad(path, StoreFileProblem::NotAStore)),
                _ => Err(bad(path, StoreFileProblem::BadMetadata { key })),
            }
        };
        if get("format", None)? != FORMAT_TAG {
            return Err(bad(path, StoreFileProblem::NotAStore));
        }
        let version = get("version", Some(4))?;
        let version = u32::from_le_bytes([version[0], version[1], version[2], version[3]]);
        if version != STORE_VERSION {
            return Err(StoreError::UnsupportedStoreVersion {
                path: path.to_path_buf(),
                found: version,
                expected: STORE_VERSION,
            });
        }
        let sum_bytes = get("hash_sum", Some(32))?;
        let mut sum = HashSum::ZERO;
        let mut d = [0u8; 32];
        d.copy_from_slice(&sum_bytes);
        sum.add(&d);
        let count = u64_at(&get("count", Some(8))?, 0);
        let batches = u64_at(&get("batches", Some(8))?, 0);
        // The accounts table must exist too.
        match txn.open_table(ACCOUNTS) {
            Ok(_) => {}
            Err(redb::TableError::TableDoesNotExist(_)) => {
                return Err(bad(path, StoreFileProblem::BadMetadata { key: "accounts" }))
            }
            Err(e) => return Err(bad(path, StoreFileProblem::Unreadable(e.to_string()))),
        }
        Ok(Summary {
            sum,
            count,
            batches,
        })
    }

    fn read_base(
        db: &redb::Database,
        path: &Path,
    ) -> Result<ReadOnlyTable<&'static [u8; 32], &'static [u8]>, StoreError> {
        let txn = db.begin_read().map_err(|e| db_err(path)(e.into()))?;
        txn.open_table(ACCOUNTS).map_err(|e| db_err(path)(e.into()))
    }

    /// The store file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many batches ([`AccountsStore::end_batch`] calls that had
    /// something to write) the file holds, counted from its creation.
    pub fn committed_batches(&self) -> u64 {
        self.summary.lock().batches
    }

    /// Whether commits are waiting for [`AccountsStore::end_batch`].
    pub fn has_pending(&self) -> bool {
        self.overlay.iter().any(|p| !p.0.read().is_empty())
    }

    fn shard(&self, key: &Pubkey) -> &RwLock<OverlayShard> {
        let h = self.hasher.hash_key(key);
        let i = ((u64::from((h >> 24) as u32) * OVERLAY_SHARDS as u64) >> 32) as usize;
        match self.overlay.get(i) {
            Some(p) => &p.0,
            None => &self.overlay[0].0,
        }
    }

    /// The committed value at `key` (ignoring the overlay), still encoded.
    fn base_get(&self, key: &Pubkey) -> Option<Vec<u8>> {
        let base = self.base.read();
        // A read error of the committed state (only a corrupt or failing
        // file gives one) reads as absent; `verify` reports it.
        base.get(&key.0).ok().flatten().map(|g| g.value().to_vec())
    }

    fn base_with<R>(&self, key: &Pubkey, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let base = self.base.read();
        base.get(&key.0).ok().flatten().map(|g| f(g.value()))
    }

    /// Every pending write, sorted by key.
    fn pending_sorted(&self) -> Vec<(Pubkey, Option<Account>)> {
        let mut out = Vec::new();
        for p in self.overlay.iter() {
            out.extend(p.0.read().iter().map(|(k, v)| (*k, v.clone())));
        }
        out.sort_unstable_by_key(|(k, _)| *k);
        out
    }

    /// The summary the store would have if the overlay were committed now.
    fn projected(&self) -> Summary {
        let mut s = *self.summary.lock();
        for p in self.overlay.iter() {
            let shard = p.0.read();
            for (key, new) in shard.iter() {
                if let Some(old) = self.base_with(key, stored_digest) {
                    s.sum.sub(&old);
                    s.count = s.count.saturating_sub(1);
                }
                if let Some(a) = new {
                    s.sum.add(&account_hash(key, a));
                    s.count += 1;
                }
            }
        }
        s
    }
}

impl AccountsRead for DurableAccounts {
    fn load(&self, key: &Pubkey) -> Option<Account> {
        if let Some(v) = self.shard(key).read().get(key) {
            return v.clone();
        }
        self.base_with(key, decode).flatten()
    }

    fn load_lamports(&self, key: &Pubkey) -> Option<u64> {
        if let Some(v) = self.shard(key).read().get(key) {
            return v.as_ref().map(|a| a.lamports);
        }
        self.base_with(key, |b| u64_at(b, DIGEST_LEN))
    }

    fn load_into(&self, key: &Pubkey, out: &mut Account) -> bool {
        if let Some(v) = self.shard(key).read().get(key) {
            return match v {
                Some(a) => {
                    out.lamports = a.lamports;
                    out.rent_epoch = a.rent_epoch;
                    out.owner = a.owner;
                    out.executable = a.executable;
                    out.data.clear();
                    out.data.extend_from_slice(&a.data);
                    true
                }
                None => false,
            };
        }
        match self.base_get(key).as_deref().and_then(decode) {
            Some(a) => {
                *out = a;
                true
            }
            None => false,
        }
    }
}

impl AccountsCommit for DurableAccounts {
    fn commit(&self, changes: &[(Pubkey, Account)]) -> Result<(), StoreError> {
        for (key, account) in changes {
            check_len(key, account)?;
        }
        for (key, account) in changes {
            let value = (account.lamports != 0).then(|| account.clone());
            let old = self.shard(key).write().insert(*key, value);
            drop(old);
        }
        Ok(())
    }
}

impl AccountsStore for DurableAccounts {
    fn state_hash(&self) -> StateHash {
        let s = self.projected();
        s.sum.finalize(s.count)
    }

    fn len(&self) -> usize {
        usize::try_from(self.projected().count).unwrap_or(usize::MAX)
    }

    fn for_each_account(&self, f: &mut dyn FnMut(Pubkey, Account)) -> Result<(), StoreError> {
        self.for_each_account_sorted(&mut |k, a| {
            f(*k, a.clone());
            Ok(())
        })
    }

    fn accounts_sorted(&self) -> Result<Vec<(Pubkey, Account)>, StoreError> {
        let mut out = Vec::new();
        self.for_each_account_sorted(&mut |k, a| {
            out.push((*k, a.clone()));
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the committed accounts in key order from the database,
    /// merged with the pending ones; no lock is held while `f` runs.
    fn for_each_account_sorted(
        &self,
        f: &mut dyn FnMut(&Pubkey, &Account) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let err = db_err(&self.path);
        let pending = self.pending_sorted();
        let mut pending = pending.iter().peekable();
        let base = Arc::clone(&self.base.read());
        for item in base.iter().map_err(|e| err(e.into()))? {
            let (k, v) = item.map_err(|e| err(e.into()))?;
            let key = Pubkey(*k.value());
            // Pending writes to smaller keys come first.
            while let Some((pk, pv)) = pending.next_if(|(pk, _)| *pk < key) {
                if let Some(a) = pv {
                    f(pk, a)?;
                }
            }
            if let Some((_, pv)) = pending.next_if(|(pk, _)| *pk == key) {
                if let Some(a) = pv {
                    f(&key, a)?;
                }
                continue;
            }
            match decode(v.value()) {
                Some(a) => f(&key, &a)?,
                None => {
                    return Err(bad(
                        &self.path,
                        StoreFileProblem::BadMetadata { key: "accounts" },
                    ))
                }
            }
        }
        for (pk, pv) in pending {
            if let Some(a) = pv {
                f(pk, a)?;
            }
        }
        Ok(())
    }

    /// Write every pending commit in one redb transaction, with the new
    /// state hash sum, count and batch number, and commit it durably.
    fn end_batch(&self) -> Result<(), StoreError> {
        let _one_at_a_time = self.flush.lock();
        let pending = self.pending_sorted();
        if pending.is_empty() {
            return Ok(());
        }
        let err = db_err(&self.path);
        let mut s = *self.summary.lock();
        s.batches += 1;
        let txn = self.db.begin_write().map_err(|e| err(e.into()))?;
        {
            let mut table = txn.open_table(ACCOUNTS).map_err(|e| err(e.into()))?;
            let mut buf = Vec::new();
            for (key, new) in &pending {
                let old = match new {
                    Some(a) => {
                        let digest = account_hash(key, a);
                        encode(a, &digest, &mut buf);
                        s.sum.add(&digest);
                        s.count += 1;
                        table.insert(&key.0, buf.as_slice())
                    }
                    None => table.remove(&key.0),
                }
                .map_err(|e| err(e.into()))?;
                if let Some(old) = old {
                    s.sum.sub(&stored_digest(old.value()));
                    s.count = s.count.saturating_sub(1);
                }
            }
        }
        write_summary(&txn, &s).map_err(&err)?;
        txn.commit().map_err(|e| err(e.into()))?;
        // Durable now. Publish the new committed state before dropping the
        // overlay, so that a load never sees neither.
        *self.summary.lock() = s;
        *self.base.write() = Arc::new(Self::read_base(&self.db, &self.path)?);
        for p in self.overlay.iter() {
            let mut shard = p.0.write();
            shard.clear();
            shard.shrink_to(1024);
        }
        Ok(())
    }
}
