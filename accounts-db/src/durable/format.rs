//! The store file's layout: the `accounts` and `meta` tables, the encoding
//! of a stored account (digest, fields, data), the metadata records, and
//! the mapping of redb's errors to [`StoreError`]s.

use std::path::Path;

use baton_types::{Account, Pubkey, MAX_PERMITTED_DATA_LENGTH};
use redb::TableDefinition;

use crate::{HashSum, StoreError, StoreFileProblem};

/// The store-file format version this build writes and reads.
pub const STORE_VERSION: u32 = 1;

/// The persisted summary of the committed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Summary {
    pub(super) sum: HashSum,
    pub(super) count: u64,
    pub(super) batches: u64,
}

/// The value of the `format` metadata entry of every store file.
pub(super) const FORMAT_TAG: &[u8] = b"baton-accounts";

/// Accounts by key. A value is `digest [32] ‖ lamports u64 LE ‖ rent_epoch
/// u64 LE ‖ owner [32] ‖ executable u8 ‖ data`, the digest being the
/// account's [`crate::account_hash`], kept so that replacing or removing an account
/// subtracts its digest without hashing its old data again.
pub(super) const ACCOUNTS: TableDefinition<&[u8; 32], &[u8]> = TableDefinition::new("accounts");
/// Store metadata: `format`, `version` (u32 LE), `hash_sum` (32 bytes),
/// `count` (u64 LE), `batches` (u64 LE).
pub(super) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

pub(super) const DIGEST_LEN: usize = 32;
pub(super) const FIXED_LEN: usize = DIGEST_LEN + 8 + 8 + 32 + 1;

/// Map any redb error to a [`StoreError`] about `path`: plain I/O stays
/// [`StoreError::Io`], anything else is [`StoreError::Storage`].
pub(super) fn db_err(path: &Path) -> impl Fn(redb::Error) -> StoreError + '_ {
    move |e| match e {
        redb::Error::Io(source) => StoreError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => StoreError::Storage {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    }
}

pub(super) fn bad(path: &Path, problem: StoreFileProblem) -> StoreError {
    StoreError::BadStoreFile {
        path: path.to_path_buf(),
        problem,
    }
}

/// Map an error from opening the database file.
pub(super) fn open_err(path: &Path, e: redb::DatabaseError) -> StoreError {
    use redb::{DatabaseError as D, StorageError as S};
    match e {
        D::DatabaseAlreadyOpen => bad(path, StoreFileProblem::AlreadyOpen),
        D::UpgradeRequired(v) => bad(path, StoreFileProblem::DatabaseFormat(v)),
        D::Storage(S::Io(source)) if source.kind() == std::io::ErrorKind::UnexpectedEof => bad(
            path,
            StoreFileProblem::Unreadable(format!("file ends early: {source}")),
        ),
        D::Storage(S::Io(source)) if source.kind() != std::io::ErrorKind::InvalidData => {
            StoreError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
        other => bad(path, StoreFileProblem::Unreadable(other.to_string())),
    }
}

pub(super) fn encode(account: &Account, digest: &[u8; 32], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(FIXED_LEN + account.data.len());
    out.extend_from_slice(digest);
    out.extend_from_slice(&account.lamports.to_le_bytes());
    out.extend_from_slice(&account.rent_epoch.to_le_bytes());
    out.extend_from_slice(&account.owner.0);
    out.push(u8::from(account.executable));
    out.extend_from_slice(&account.data);
}

pub(super) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    if let Some(s) = bytes.get(at..at + 8) {
        b.copy_from_slice(s);
    }
    u64::from_le_bytes(b)
}

/// Decode a stored value; `None` when it is too short to be one.
pub(super) fn decode(bytes: &[u8]) -> Option<Account> {
    if bytes.len() < FIXED_LEN {
        return None;
    }
    let mut owner = Pubkey::default();
    owner
        .0
        .copy_from_slice(&bytes[DIGEST_LEN + 16..DIGEST_LEN + 48]);
    Some(Account {
        lamports: u64_at(bytes, DIGEST_LEN),
        rent_epoch: u64_at(bytes, DIGEST_LEN + 8),
        owner,
        executable: bytes[DIGEST_LEN + 48] != 0,
        data: bytes[FIXED_LEN..].to_vec(),
    })
}

/// The stored digest of a value (zero for a value too short to hold one,
/// which only a corrupt file has and `verify` reports).
pub(super) fn stored_digest(bytes: &[u8]) -> [u8; 32] {
    let mut d = [0u8; 32];
    if let Some(s) = bytes.get(..DIGEST_LEN) {
        d.copy_from_slice(s);
    }
    d
}

pub(super) fn check_len(key: &Pubkey, account: &Account) -> Result<(), StoreError> {
    if account.data.len() > MAX_PERMITTED_DATA_LENGTH {
        return Err(StoreError::DataTooLarge {
            key: *key,
            len: account.data.len(),
            max: MAX_PERMITTED_DATA_LENGTH,
        });
    }
    Ok(())
}

/// Write the metadata of an empty store.
pub(super) fn write_initial_meta(txn: &redb::WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(ACCOUNTS)?;
    let mut meta = txn.open_table(META)?;
    meta.insert("format", FORMAT_TAG)?;
    meta.insert("version", &STORE_VERSION.to_le_bytes()[..])?;
    meta.insert("hash_sum", &HashSum::ZERO.to_bytes()[..])?;
    meta.insert("count", &0u64.to_le_bytes()[..])?;
    meta.insert("batches", &0u64.to_le_bytes()[..])?;
    Ok(())
}

pub(super) fn write_summary(txn: &redb::WriteTransaction, s: &Summary) -> Result<(), redb::Error> {
    let mut meta = txn.open_table(META)?;
    meta.insert("hash_sum", &s.sum.to_bytes()[..])?;
    meta.insert("count", &s.count.to_le_bytes()[..])?;
    meta.insert("batches", &s.batches.to_le_bytes()[..])?;
    Ok(())
}
