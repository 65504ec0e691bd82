//! Engine faults of the account store, kept apart from transaction errors.

use std::path::PathBuf;

use baton_types::Pubkey;

/// A fault of the account store: storage I/O, a corrupt or unreadable
/// snapshot, or a commit the store refuses.
///
/// These are engine faults. A transaction that fails is a result carried in
/// `baton_types::TransactionError`, never a `StoreError`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// An operating-system I/O call on `path` failed (a missing snapshot is
    /// this variant with [`std::io::ErrorKind::NotFound`]).
    #[error("I/O error on {}: {source}", path.display())]
    Io {
        /// The file or directory the failing call was about.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The snapshot file at `path` is not a well-formed snapshot.
    #[error("corrupt snapshot {}: {reason}", path.display())]
    CorruptSnapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong with it.
        reason: CorruptReason,
    },
    /// The snapshot file at `path` has a format version this build cannot read.
    #[error(
        "snapshot {} has format version {found}; this build reads version {expected}",
        path.display()
    )]
    UnsupportedVersion {
        /// The snapshot file.
        path: PathBuf,
        /// The version in the file's header.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// A commit carried an account whose data is longer than
    /// [`baton_types::MAX_PERMITTED_DATA_LENGTH`]; nothing of that commit was
    /// applied.
    #[error("account {key} has {len} bytes of data; at most {max} are allowed")]
    DataTooLarge {
        /// The account's key.
        key: Pubkey,
        /// Its data length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The durable store's database at `path` failed with something other
    /// than a plain I/O error (redb's own message is kept).
    #[error("durable store {}: {message}", path.display())]
    Storage {
        /// The store file.
        path: PathBuf,
        /// The database's description of the failure.
        message: String,
    },
    /// The file at `path` cannot be opened as a durable store.
    #[error("store file {} refused: {problem}", path.display())]
    BadStoreFile {
        /// The store file.
        path: PathBuf,
        /// What is wrong with it.
        problem: StoreFileProblem,
    },
    /// The store file at `path` has a format version this build cannot read.
    #[error(
        "store file {} has format version {found}; this build reads version {expected}",
        path.display()
    )]
    UnsupportedStoreVersion {
        /// The store file.
        path: PathBuf,
        /// The version in the file's metadata.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// While a snapshot of it was written to `path`, the store listed a
    /// different number of accounts than [`crate::AccountsStore::len`] said
    /// (a commit ran during the save); the file at `path` was left as it was.
    #[error(
        "snapshot {}: the store reported {declared} accounts but listed {listed}",
        path.display()
    )]
    SnapshotCountMismatch {
        /// The snapshot file that was not written.
        path: PathBuf,
        /// What `len` said.
        declared: u64,
        /// How many accounts the listing gave.
        listed: u64,
    },
}

/// Why a file is refused as a durable store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreFileProblem {
    /// The file is empty: a store file always holds at least its header and
    /// metadata, so this is a truncated file (a new store is only created
    /// where no file exists).
    #[error("file is empty (truncated?)")]
    Empty,
    /// The database refused the file: not a redb database, truncated, or
    /// corrupted (the database's own message is kept).
    #[error("not a readable database (truncated or corrupt?): {0}")]
    Unreadable(String),
    /// The file is a redb database written by an incompatible redb file
    /// format.
    #[error("redb file format {0} is not supported by this build")]
    DatabaseFormat(u8),
    /// The file is a database but holds no Baton store metadata.
    #[error("not a Baton accounts store (no store metadata)")]
    NotAStore,
    /// A metadata entry is missing or has the wrong size.
    #[error("metadata entry {key:?} is missing or malformed")]
    BadMetadata {
        /// The metadata key.
        key: &'static str,
    },
    /// Another handle (in this or another process) has the file open.
    #[error("the store is already open elsewhere")]
    AlreadyOpen,
    /// Rehashing every account does not give the state hash sum and count
    /// the metadata records.
    #[error("state hash check failed: metadata records {recorded_count} accounts, found {found_count}, digest sum {}", if *sum_matches { "matches" } else { "differs" })]
    HashMismatch {
        /// The account count the metadata records.
        recorded_count: u64,
        /// The accounts actually found.
        found_count: u64,
        /// Whether the recomputed digest sum matched.
        sum_matches: bool,
    },
}

/// Why a snapshot file is refused as corrupt. Offsets are byte offsets from
/// the start of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CorruptReason {
    /// The file does not start with the snapshot magic `b"BATONSNP"`.
    #[error("bad magic {found:02x?}; expected \"BATONSNP\"")]
    BadMagic {
        /// The first eight bytes of the file.
        found: [u8; 8],
    },
    /// The file ends before the structure it declares is complete.
    #[error("file is truncated: {needed} more bytes needed at offset {offset}, file is {file_len} bytes")]
    Truncated {
        /// Where the missing bytes would start.
        offset: u64,
        /// How many bytes the next field needs.
        needed: u64,
        /// The file's length.
        file_len: u64,
    },
    /// The header declares more accounts than the file could hold.
    #[error("header declares {count} accounts but the file can hold at most {max}")]
    AbsurdCount {
        /// The declared account count.
        count: u64,
        /// The most the file's length allows.
        max: u64,
    },
    /// An entry declares a data length beyond the account data limit or the
    /// end of the file.
    #[error("account #{index} declares {len} bytes of data; at most {max} are possible here")]
    AbsurdDataLength {
        /// The entry's index.
        index: u64,
        /// The declared length.
        len: u64,
        /// The most that is allowed or that the file still holds.
        max: u64,
    },
    /// An entry's executable byte is neither 0 nor 1.
    #[error("account #{index} has executable byte {byte:#04x}; expected 0 or 1")]
    BadExecutableByte {
        /// The entry's index.
        index: u64,
        /// The byte found.
        byte: u8,
    },
    /// An entry has zero lamports; a store never holds such an account.
    #[error("account #{index} ({key}) has zero lamports")]
    ZeroLamports {
        /// The entry's index.
        index: u64,
        /// Its key.
        key: Pubkey,
    },
    /// A key appears twice.
    #[error("account #{index} repeats key {key}")]
    DuplicateKey {
        /// The index of the second occurrence.
        index: u64,
        /// The repeated key.
        key: Pubkey,
    },
    /// Keys are not in increasing order, as every writer of this format
    /// writes them.
    #[error("account #{index} ({key}) is out of key order")]
    KeysOutOfOrder {
        /// The entry's index.
        index: u64,
        /// Its key.
        key: Pubkey,
    },
    /// Bytes follow the last entry before the checksum.
    #[error("{count} unexpected bytes after the last account")]
    TrailingBytes {
        /// How many.
        count: u64,
    },
    /// The SHA-256 checksum at the end of the file does not match its contents.
    #[error(
        "checksum mismatch: file says {}, contents hash to {}",
        hex(stored),
        hex(computed)
    )]
    ChecksumMismatch {
        /// The checksum stored in the file.
        stored: [u8; 32],
        /// The checksum of the file's contents.
        computed: [u8; 32],
    },
}

fn hex(bytes: &[u8; 32]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
