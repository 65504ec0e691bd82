//! Snapshot files: a checksummed, deterministic dump of every account.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use baton_types::{Account, Pubkey, MAX_PERMITTED_DATA_LENGTH};
use sha2::{Digest, Sha256};

use crate::{AccountsStore, CorruptReason, StoreError};

/// The first eight bytes of every snapshot file.
pub const SNAPSHOT_MAGIC: [u8; 8] = *b"BATONSNP";

/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// Magic, version, account count.
const HEADER_LEN: u64 = 8 + 4 + 8;
/// Key, lamports, rent epoch, owner, executable, data length.
const ENTRY_FIXED_LEN: usize = 32 + 8 + 8 + 32 + 1 + 8;
const CHECKSUM_LEN: u64 = 32;
const IO_BUF: usize = 1 << 20;

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write every account of `store` to a snapshot file at `path`.
///
/// The file is written to a temporary file in the same directory, flushed to
/// disk, renamed over `path` and the directory synced, so `path` holds either
/// its old contents or the complete new snapshot, never a partial one.
/// Accounts are written in key order, so equal stores give identical files,
/// streamed from [`AccountsStore::for_each_account_sorted`].
/// Take the snapshot while no commit is in flight.
///
/// # Errors
///
/// [`StoreError::Io`] naming the path that failed (the temporary file is then
/// removed and `path` is untouched, unless only the final directory sync
/// failed); [`StoreError::SnapshotCountMismatch`] when the store listed a
/// different number of accounts than its `len` (a commit ran during the
/// save); or what [`AccountsStore::for_each_account_sorted`] returns.
pub fn save_snapshot<S: AccountsStore + ?Sized>(store: &S, path: &Path) -> Result<(), StoreError> {
    let (tmp, dir) = temp_beside(path, ".baton-snapshot-")?;
    write_body(tmp.as_file(), store, path)?;
    tmp.as_file().sync_all().map_err(io_err(path))?;
    tmp.persist(path).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    sync_dir(dir)
}

/// A temporary file named `prefix…` in the directory of `path` (so that it
/// can be renamed onto `path`), removed when dropped; and that directory.
pub(crate) fn temp_beside<'p>(
    path: &'p Path,
    prefix: &str,
) -> Result<(tempfile::NamedTempFile, &'p Path), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(prefix)
        .tempfile_in(dir)
        .map_err(io_err(dir))?;
    Ok((tmp, dir))
}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// Serialises into a buffer that is hashed and written out whenever it
/// fills, so the checksum costs no extra pass and no small writes.
struct HashingWriter<'a> {
    file: &'a File,
    buf: Vec<u8>,
    hasher: Sha256,
}

impl HashingWriter<'_> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.buf.len() + bytes.len() > IO_BUF {
            self.drain()?;
        }
        if bytes.len() >= IO_BUF {
            self.hasher.update(bytes);
            return self.file.write_all(bytes);
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    fn drain(&mut self) -> io::Result<()> {
        self.hasher.update(&self.buf);
        self.file.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

/// Write the snapshot of `store` to `file`, streaming the accounts in key
/// order: the header's count comes from [`AccountsStore::len`] and is
/// checked against the accounts listed.
fn write_body<S: AccountsStore + ?Sized>(
    mut file: &File,
    store: &S,
    path: &Path,
) -> Result<(), StoreError> {
    let mut w = HashingWriter {
        file,
        buf: Vec::with_capacity(IO_BUF),
        hasher: Sha256::new(),
    };
    let declared = store.len() as u64;
    let mut header = [0u8; HEADER_LEN as usize];
    header[..8].copy_from_slice(&SNAPSHOT_MAGIC);
    header[8..12].copy_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    header[12..].copy_from_slice(&declared.to_le_bytes());
    w.put(&header).map_err(io_err(path))?;
    let mut listed = 0u64;
    store.for_each_account_sorted(&mut |key, a| {
        // A store never holds a zero-lamport account; a backend that reports
        // one anyway has it skipped here rather than written into a file that
        // loading would refuse.
        if a.lamports == 0 {
            return Ok(());
        }
        listed += 1;
        let mut head = [0u8; ENTRY_FIXED_LEN];
        head[..32].copy_from_slice(&key.0);
        head[32..40].copy_from_slice(&a.lamports.to_le_bytes());
        head[40..48].copy_from_slice(&a.rent_epoch.to_le_bytes());
        head[48..80].copy_from_slice(&a.owner.0);
        head[80] = u8::from(a.executable);
        head[81..89].copy_from_slice(&(a.data.len() as u64).to_le_bytes());
        w.put(&head).map_err(io_err(path))?;
        w.put(&a.data).map_err(io_err(path))
    })?;
    if listed != declared {
        return Err(StoreError::SnapshotCountMismatch {
            path: path.to_path_buf(),
            declared,
            listed,
        });
    }
    w.drain().map_err(io_err(path))?;
    let checksum: [u8; 32] = w.hasher.finalize().into();
    file.write_all(&checksum).map_err(io_err(path))
}

/// Reads a snapshot file one account at a time, checking as it goes.
///
/// [`SnapshotReader::open`] checks the magic and version;
/// [`SnapshotReader::next_account`] checks each entry's lengths, flags and
/// key order; [`SnapshotReader::finish`] checks that nothing follows the last
/// entry and that the checksum matches. The accounts it hands out are
/// therefore unverified until `finish` returns `Ok`: a caller filling a
/// store must discard it on any error. Every length is checked against the
/// bytes left in the file before anything is allocated.
pub struct SnapshotReader {
    path: PathBuf,
    reader: BufReader<File>,
    hasher: Sha256,
    file_len: u64,
    /// Bytes consumed so far.
    pos: u64,
    /// Where the checksum starts: the end of the hashed contents.
    body_end: u64,
    count: u64,
    read: u64,
    last_key: Option<Pubkey>,
}

impl std::fmt::Debug for SnapshotReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotReader")
            .field("path", &self.path)
            .field("count", &self.count)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl SnapshotReader {
    /// Open the snapshot at `path` and read its header.
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] (a missing file has kind `NotFound`),
    /// [`StoreError::UnsupportedVersion`], or [`StoreError::CorruptSnapshot`]
    /// for a bad magic or a file too short for its header and checksum.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let file = File::open(path).map_err(io_err(path))?;
        let file_len = file.metadata().map_err(io_err(path))?.len();
        let mut r = Self {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(IO_BUF, file),
            hasher: Sha256::new(),
            file_len,
            pos: 0,
            body_end: file_len.saturating_sub(CHECKSUM_LEN),
            count: 0,
            read: 0,
            last_key: None,
        };
        // The magic and version are checked against the file's length, not
        // the body's, so that a short file with the wrong magic or version
        // is reported as such rather than as truncated.
        let mut magic = [0u8; 8];
        r.take(&mut magic, file_len)?;
        if magic != SNAPSHOT_MAGIC {
            return Err(r.corrupt(CorruptReason::BadMagic { found: magic }));
        }
        let mut version = [0u8; 4];
        r.take(&mut version, file_len)?;
        let version = u32::from_le_bytes(version);
        if version != SNAPSHOT_VERSION {
            return Err(StoreError::UnsupportedVersion {
                path: r.path,
                found: version,
                expected: SNAPSHOT_VERSION,
            });
        }
        let mut count = [0u8; 8];
        r.take(&mut count, r.body_end)?;
        r.count = u64::from_le_bytes(count);
        Ok(r)
    }

    /// The path being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The account count the header declares (not yet verified).
    pub fn declared_count(&self) -> u64 {
        self.count
    }

    /// How many accounts to make room for: the declared count, capped by
    /// how many entries the file's length can hold.
    pub fn capacity_hint(&self) -> usize {
        let room = self.body_end.saturating_sub(HEADER_LEN) / ENTRY_FIXED_LEN as u64;
        usize::try_from(self.count.min(room)).unwrap_or(usize::MAX)
    }

    fn corrupt(&self, reason: CorruptReason) -> StoreError {
        StoreError::CorruptSnapshot {
            path: self.path.clone(),
            reason,
        }
    }

    /// Read exactly `buf.len()` hashed bytes, none past `limit`.
    fn take(&mut self, buf: &mut [u8], limit: u64) -> Result<(), StoreError> {
        let n = buf.len() as u64;
        if self.pos.saturating_add(n) > limit {
            return Err(self.truncated(n));
        }
        match self.reader.read_exact(buf) {
            Ok(()) => {}
            // The file shrank while being read.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(self.truncated(n)),
            Err(e) => return Err(io_err(&self.path)(e)),
        }
        self.hasher.update(&*buf);
        self.pos += n;
        Ok(())
    }

    fn truncated(&self, needed: u64) -> StoreError {
        self.corrupt(CorruptReason::Truncated {
            offset: self.pos,
            needed,
            file_len: self.file_len,
        })
    }

    /// The next account, or `None` after the last one the header declares.
    ///
    /// # Errors
    ///
    /// [`StoreError::CorruptSnapshot`] for a truncated entry, a data length
    /// over [`MAX_PERMITTED_DATA_LENGTH`], an executable byte other than 0
    /// or 1, zero lamports, or a key not greater than the one before;
    /// [`StoreError::Io`] for a failed read.
    #[allow(clippy::should_implement_trait)]
    pub fn next_account(&mut self) -> Result<Option<(Pubkey, Account)>, StoreError> {
        if self.read == self.count {
            return Ok(None);
        }
        let index = self.read;
        let mut head = [0u8; ENTRY_FIXED_LEN];
        self.take(&mut head, self.body_end)?;
        let field = |range: std::ops::Range<usize>| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&head[range]);
            u64::from_le_bytes(b)
        };
        let mut key = Pubkey::default();
        key.0.copy_from_slice(&head[..32]);
        let lamports = field(32..40);
        let rent_epoch = field(40..48);
        let mut owner = Pubkey::default();
        owner.0.copy_from_slice(&head[48..80]);
        let executable = match head[80] {
            0 => false,
            1 => true,
            byte => return Err(self.corrupt(CorruptReason::BadExecutableByte { index, byte })),
        };
        let len = field(81..89);
        if len > MAX_PERMITTED_DATA_LENGTH as u64 {
            return Err(self.corrupt(CorruptReason::AbsurdDataLength {
                index,
                len,
                max: MAX_PERMITTED_DATA_LENGTH as u64,
            }));
        }
        if len > self.body_end - self.pos {
            return Err(self.truncated(len));
        }
        if lamports == 0 {
            return Err(self.corrupt(CorruptReason::ZeroLamports { index, key }));
        }
        match self.last_key {
            Some(prev) if prev == key => {
                return Err(self.corrupt(CorruptReason::DuplicateKey { index, key }))
            }
            Some(prev) if prev > key => {
                return Err(self.corrupt(CorruptReason::KeysOutOfOrder { index, key }))
            }
            _ => {}
        }
        // `len` is at most 10 MiB and at most what the file still holds.
        let mut data = vec![0u8; len as usize];
        self.take(&mut data, self.body_end)?;
        self.last_key = Some(key);
        self.read += 1;
        Ok(Some((
            key,
            Account {
                lamports,
                data,
                owner,
                executable,
                rent_epoch,
            },
        )))
    }

    /// Check that every declared account was read, nothing follows the last
    /// one, and the checksum matches.
    ///
    /// # Errors
    ///
    /// [`StoreError::CorruptSnapshot`] with [`CorruptReason::TrailingBytes`]
    /// or [`CorruptReason::ChecksumMismatch`] (or `Truncated` when called
    /// before all accounts were read); [`StoreError::Io`] for a failed read.
    pub fn finish(mut self) -> Result<(), StoreError> {
        while self.next_account()?.is_some() {}
        if self.pos < self.body_end {
            return Err(self.corrupt(CorruptReason::TrailingBytes {
                count: self.body_end - self.pos,
            }));
        }
        let mut stored = [0u8; 32];
        match self.reader.read_exact(&mut stored) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(self.truncated(CHECKSUM_LEN))
            }
            Err(e) => return Err(io_err(&self.path)(e)),
        }
        let computed: [u8; 32] = std::mem::take(&mut self.hasher).finalize().into();
        if stored != computed {
            return Err(self.corrupt(CorruptReason::ChecksumMismatch { stored, computed }));
        }
        // The file may have grown since its length was taken.
        let mut extra = [0u8; 1];
        match self.reader.read(&mut extra) {
            Ok(0) => Ok(()),
            Ok(_) => Err(self.corrupt(CorruptReason::TrailingBytes { count: 1 })),
            Err(e) => Err(io_err(&self.path)(e)),
        }
    }
}
