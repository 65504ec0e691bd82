//! Whole-store operations of the durable store: verifying every stored
//! account against the recorded state hash, importing a snapshot into a
//! new store, and saving one.

use std::path::Path;
use std::sync::Arc;

use super::format::*;
use super::*;

/// How many bytes of keys and values an import writes per redb write
/// transaction: enough that its commits (each an fsync) cost little, few
/// enough that the set of pages redb tracks per transaction stays small.
const IMPORT_TXN_BYTES: usize = 64 << 20;

impl DurableAccounts {
    /// Rehash every committed account and check the result against the
    /// recorded state hash sum and count; also checks that every stored
    /// value decodes and carries its own digest.
    ///
    /// # Errors
    ///
    /// [`StoreError::BadStoreFile`] with [`StoreFileProblem::HashMismatch`]
    /// or [`StoreFileProblem::BadMetadata`] (key `"accounts"`) for a value
    /// that does not decode or whose digest is wrong;
    /// [`StoreError::Storage`] when reading fails.
    pub fn verify(&self) -> Result<(), StoreError> {
        let recorded = *self.summary.lock();
        let base = Arc::clone(&self.base.read());
        let mut sum = HashSum::ZERO;
        let mut count = 0u64;
        let iter = base.iter().map_err(|e| db_err(&self.path)(e.into()))?;
        for item in iter {
            let (k, v) = item.map_err(|e| db_err(&self.path)(e.into()))?;
            let key = Pubkey(*k.value());
            let value = v.value();
            let digest = decode(value)
                .filter(|a| a.lamports != 0)
                .map(|a| account_hash(&key, &a));
            match digest {
                Some(d) if d == stored_digest(value) => sum.add(&d),
                _ => {
                    return Err(bad(
                        &self.path,
                        StoreFileProblem::BadMetadata { key: "accounts" },
                    ))
                }
            }
            count += 1;
        }
        if sum != recorded.sum || count != recorded.count {
            return Err(bad(
                &self.path,
                StoreFileProblem::HashMismatch {
                    recorded_count: recorded.count,
                    found_count: count,
                    sum_matches: sum == recorded.sum,
                },
            ));
        }
        Ok(())
    }

    /// Create a store file at `store_path` (where no file may exist) holding
    /// the accounts of the snapshot at `snapshot`, streaming: one account at
    /// a time is in memory, the rest goes through redb's page cache, so the
    /// snapshot may be larger than memory. The store is built in a
    /// temporary file (`.baton-import-*`) in `store_path`'s directory, in
    /// write transactions of 64 MiB each, and renamed to `store_path` only
    /// after the whole snapshot has been checked (magic, version, every
    /// entry, checksum) and the last transaction committed durably; on any
    /// error nothing is left at `store_path` and the temporary file is
    /// removed (a crash may leave the temporary file, never a partial store
    /// at `store_path`).
    ///
    /// # Errors
    ///
    /// What [`SnapshotReader`] reports for a bad snapshot; [`StoreError::Io`]
    /// with kind `AlreadyExists` when `store_path` exists; what
    /// [`DurableAccounts::open`] reports.
    pub fn import_snapshot(
        snapshot: impl AsRef<Path>,
        store_path: impl AsRef<Path>,
    ) -> Result<Self, StoreError> {
        Self::import_snapshot_with(snapshot, store_path, &DurableOptions::default())
    }

    /// [`DurableAccounts::import_snapshot`] with `options`, which the
    /// import and the returned store use: with a small page cache, an
    /// import of any size holds little memory.
    ///
    /// # Errors
    ///
    /// As [`DurableAccounts::import_snapshot`].
    pub fn import_snapshot_with(
        snapshot: impl AsRef<Path>,
        store_path: impl AsRef<Path>,
        options: &DurableOptions,
    ) -> Result<Self, StoreError> {
        let store_path = store_path.as_ref();
        let mut reader = SnapshotReader::open(snapshot.as_ref())?;
        if std::fs::symlink_metadata(store_path).is_ok() {
            return Err(StoreError::Io {
                path: store_path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "import target exists",
                ),
            });
        }
        // Removed when dropped, so on any error.
        let (tmp, dir) = temp_beside(store_path, ".baton-import-")?;
        let db = Self::create_db(tmp.path(), store_path, options)?;
        let err = db_err(store_path);
        let mut s = Summary {
            sum: HashSum::ZERO,
            count: 0,
            batches: 0,
        };
        let mut buf = Vec::new();
        let mut next = reader.next_account()?;
        loop {
            // One write transaction per IMPORT_TXN_BYTES: redb keeps a set
            // of the pages a transaction allocated until it commits.
            let txn = db.begin_write().map_err(|e| err(e.into()))?;
            {
                let mut table = txn.open_table(ACCOUNTS).map_err(|e| err(e.into()))?;
                let mut written = 0usize;
                while let Some((key, account)) = next.take() {
                    let digest = account_hash(&key, &account);
                    encode(&account, &digest, &mut buf);
                    table
                        .insert(&key.0, buf.as_slice())
                        .map_err(|e| err(e.into()))?;
                    s.sum.add(&digest);
                    s.count += 1;
                    written += key.0.len() + buf.len();
                    next = reader.next_account()?;
                    if written >= IMPORT_TXN_BYTES {
                        break;
                    }
                }
            }
            if next.is_none() {
                reader.finish()?;
                write_summary(&txn, &s).map_err(&err)?;
                txn.commit().map_err(|e| err(e.into()))?;
                break;
            }
            txn.commit().map_err(|e| err(e.into()))?;
        }
        // The last commit was durable (fsync). Move the complete store into
        // place, unless something appeared there meanwhile.
        let file = tmp
            .persist_noclobber(store_path)
            .map_err(|e| io_err(store_path)(e.error))?;
        drop(file);
        let store = crate::snapshot::sync_dir(dir).and_then(|()| Self::from_db(db, store_path));
        if store.is_err() {
            let _ = std::fs::remove_file(store_path);
        }
        store
    }

    /// Write every account to a snapshot file at `path`, streaming in key
    /// order (see [`crate::save_snapshot`]). Pending commits are included.
    ///
    /// # Errors
    ///
    /// As [`crate::save_snapshot`].
    pub fn save_snapshot(&self, path: impl AsRef<Path>) -> Result<(), StoreError> {
        crate::snapshot::save_snapshot(self, path.as_ref())
    }
}
