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
