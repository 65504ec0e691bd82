//! Snapshot files: round trips, determinism, and refusal of every kind of
//! damaged file with a typed error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use baton_accounts_db::{
    AccountsCommit, AccountsRead, AccountsStore, CorruptReason, InMemoryAccounts, StateHash,
    StoreError, SNAPSHOT_MAGIC, SNAPSHOT_VERSION,
};
use baton_types::{Account, Pubkey};
use sha2::{Digest, Sha256};

fn sample_store(n: u64) -> InMemoryAccounts {
    let s = InMemoryAccounts::new();
    let changes: Vec<_> = (0..n)
        .map(|i| {
            let mut a = Account::with_data(
                i * 13 + 1,
                vec![i as u8; (i % 7) as usize],
                &Pubkey::new_from_u64(i % 3),
            );
            a.executable = i % 4 == 0;
            a.rent_epoch = u64::MAX - i;
            (Pubkey::new_from_u64(i * 31 % 1009), a)
        })
        .collect();
    s.commit(&changes).unwrap();
    s
}

fn corrupt_reason(err: StoreError, path: &Path) -> CorruptReason {
    match err {
        StoreError::CorruptSnapshot { path: p, reason } => {
            assert_eq!(p, path);
            reason
        }
        other => panic!("expected a corrupt-snapshot error, got {other:?}"),
    }
}

/// Serialise raw entries with a correct checksum, for files that are
/// well-formed on the outside but wrong inside.
fn raw_file(version: u32, count: u64, entries: &[(Pubkey, u64, u8, u64, Vec<u8>)]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&SNAPSHOT_MAGIC);
    b.extend_from_slice(&version.to_le_bytes());
    b.extend_from_slice(&count.to_le_bytes());
    for (key, lamports, exec, len, data) in entries {
        b.extend_from_slice(&key.0);
        b.extend_from_slice(&lamports.to_le_bytes());
        b.extend_from_slice(&0u64.to_le_bytes());
        b.extend_from_slice(&[7u8; 32]);
        b.push(*exec);
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(data);
    }
    let sum: [u8; 32] = Sha256::digest(&b).into();
    b.extend_from_slice(&sum);
    b
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn round_trip_preserves_accounts_and_state_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.snap");
    let s = sample_store(500);
    s.save_snapshot(&path).unwrap();
    let loaded = InMemoryAccounts::load_snapshot(&path).unwrap();
    assert_eq!(loaded.len(), s.len());
    assert_eq!(loaded.state_hash(), s.state_hash());
    assert_eq!(
        loaded.accounts_sorted().unwrap(),
        s.accounts_sorted().unwrap()
    );
    // The loaded store works like any other.
    let k = Pubkey::new_from_u64(0);
    loaded.commit(&[(k, Account::new(0, 0, &k))]).unwrap();
    assert_eq!(loaded.load(&k), None);
}

#[test]
fn empty_store_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.snap");
    let s = InMemoryAccounts::new();
    s.save_snapshot(&path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 20 + 32);
    let loaded = InMemoryAccounts::load_snapshot(&path).unwrap();
    assert!(loaded.is_empty());
    assert_eq!(loaded.state_hash(), s.state_hash());
}

#[test]
fn files_are_deterministic_and_overwritten_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.snap");
    let b = dir.path().join("b.snap");
    let s1 = sample_store(300);
    // The same accounts, committed in the opposite order.
    let s2 = InMemoryAccounts::new();
    let mut all = s1.accounts_sorted().unwrap();
    all.reverse();
    s2.commit(&all).unwrap();
    s1.save_snapshot(&a).unwrap();
    s2.save_snapshot(&b).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // Saving over an existing file replaces it, and no temporary is left.
    sample_store(10).save_snapshot(&a).unwrap();
    assert_eq!(InMemoryAccounts::load_snapshot(&a).unwrap().len(), 10);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn truncated_files_are_refused_at_every_offset() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.snap");
    sample_store(20).save_snapshot(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    // Every prefix, from empty to one byte short.
    for len in 0..bytes.len() {
        let p = write(dir.path(), "cut.snap", &bytes[..len]);
        let err = InMemoryAccounts::load_snapshot(&p).unwrap_err();
        match corrupt_reason(err, &p) {
            CorruptReason::Truncated { file_len, .. } => assert_eq!(file_len, len as u64),
            other => panic!("prefix of {len} bytes: {other:?}"),
        }
    }
}

#[test]
fn every_single_bit_flip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.snap");
    sample_store(8).save_snapshot(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    for i in 0..bytes.len() {
        for bit in [0u8, 3, 7] {
            let mut b = bytes.clone();
            b[i] ^= 1 << bit;
            let p = write(dir.path(), "flip.snap", &b);
            match InMemoryAccounts::load_snapshot(&p) {
                Err(StoreError::CorruptSnapshot { .. }) => {}
                Err(StoreError::UnsupportedVersion { .. }) if (8..12).contains(&i) => {}
                other => panic!("flip at byte {i} bit {bit}: {other:?}"),
            }
        }
    }
    // A flip inside an account's lamports is caught by the checksum.
    let mut b = bytes.clone();
    b[20 + 33] ^= 1;
    let p = write(dir.path(), "flip.snap", &b);
    let reason = corrupt_reason(InMemoryAccounts::load_snapshot(&p).unwrap_err(), &p);
    assert!(
        matches!(reason, CorruptReason::ChecksumMismatch { .. }),
        "{reason:?}"
    );
    // And so is a flip in the checksum itself.
    let mut b = bytes.clone();
    let last = b.len() - 1;
    b[last] ^= 0x80;
    let p = write(dir.path(), "flip.snap", &b);
    let reason = corrupt_reason(InMemoryAccounts::load_snapshot(&p).unwrap_err(), &p);
    assert!(
        matches!(reason, CorruptReason::ChecksumMismatch { .. }),
        "{reason:?}"
    );
}

#[test]
fn wrong_magic_version_empty_and_missing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.snap");
    sample_store(3).save_snapshot(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let mut b = bytes.clone();
    b[..8].copy_from_slice(b"NOTASNAP");
    let p = write(dir.path(), "magic.snap", &b);
    let reason = corrupt_reason(InMemoryAccounts::load_snapshot(&p).unwrap_err(), &p);
    assert_eq!(
        reason,
        CorruptReason::BadMagic {
            found: *b"NOTASNAP"
        }
    );

    let mut b = bytes.clone();
    b[8..12].copy_from_slice(&2u32.to_le_bytes());
    let p = write(dir.path(), "version.snap", &b);
    match InMemoryAccounts::load_snapshot(&p).unwrap_err() {
        StoreError::UnsupportedVersion {
            path,
            found,
            expected,
        } => {
            assert_eq!((path, found, expected), (p.clone(), 2, SNAPSHOT_VERSION));
        }
        other => panic!("{other:?}"),
    }

    let p = write(dir.path(), "empty.snap", &[]);
    let reason = corrupt_reason(InMemoryAccounts::load_snapshot(&p).unwrap_err(), &p);
    assert_eq!(
        reason,
        CorruptReason::Truncated {
            offset: 0,
            needed: 8,
            file_len: 0
        }
    );

    let missing = dir.path().join("missing.snap");
    match InMemoryAccounts::load_snapshot(&missing).unwrap_err() {
        StoreError::Io { path, source } => {
            assert_eq!(path, missing);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }

    // The messages name the file.
    let msg = InMemoryAccounts::load_snapshot(&missing)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("missing.snap"), "{msg}");
}

#[test]
fn well_checksummed_but_invalid_contents_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let k = |n| Pubkey::new_from_u64(n);
    let check = |name: &str, bytes: Vec<u8>, want: &dyn Fn(&CorruptReason) -> bool| {
        let p = write(dir.path(), name, &bytes);
        let reason = corrupt_reason(InMemoryAccounts::load_snapshot(&p).unwrap_err(), &p);
        assert!(want(&reason), "{name}: {reason:?}");
        // The message names the file and the problem.
        let msg = InMemoryAccounts::load_snapshot(&p).unwrap_err().to_string();
        assert!(msg.contains(name), "{msg}");
    };
    // A valid hand-made file loads.
    let ok = raw_file(
        1,
        2,
        &[(k(1), 5, 0, 2, vec![1, 2]), (k(2), 5, 1, 0, vec![])],
    );
    let p = write(dir.path(), "ok.snap", &ok);
    assert_eq!(InMemoryAccounts::load_snapshot(&p).unwrap().len(), 2);

    check(
        "dup.snap",
        raw_file(1, 2, &[(k(1), 5, 0, 0, vec![]), (k(1), 6, 0, 0, vec![])]),
        &|r| matches!(r, CorruptReason::DuplicateKey { index: 1, .. }),
    );
    check(
        "order.snap",
        raw_file(1, 2, &[(k(2), 5, 0, 0, vec![]), (k(1), 6, 0, 0, vec![])]),
        &|r| matches!(r, CorruptReason::KeysOutOfOrder { index: 1, .. }),
    );
    check(
        "zero.snap",
        raw_file(1, 1, &[(k(1), 0, 0, 0, vec![])]),
        &|r| matches!(r, CorruptReason::ZeroLamports { index: 0, .. }),
    );
    check(
        "exec.snap",
        raw_file(1, 1, &[(k(1), 1, 2, 0, vec![])]),
        &|r| matches!(r, CorruptReason::BadExecutableByte { index: 0, byte: 2 }),
    );
    // Lengths that would allocate absurd amounts are refused before any
    // allocation: beyond the account limit, and beyond the file's end.
    check(
        "len.snap",
        raw_file(1, 1, &[(k(1), 1, 0, u64::MAX, vec![])]),
        &|r| matches!(r, CorruptReason::AbsurdDataLength { len: u64::MAX, .. }),
    );
    check(
        "len2.snap",
        raw_file(1, 1, &[(k(1), 1, 0, 1 << 20, vec![1, 2, 3])]),
        &|r| matches!(r, CorruptReason::Truncated { needed, .. } if *needed == 1 << 20),
    );
    check(
        "count.snap",
        raw_file(1, u64::MAX, &[(k(1), 1, 0, 0, vec![])]),
        &|r| matches!(r, CorruptReason::Truncated { .. }),
    );
    check(
        "fewer.snap",
        raw_file(1, 1, &[(k(1), 1, 0, 0, vec![]), (k(2), 1, 0, 0, vec![])]),
        &|r| matches!(r, CorruptReason::TrailingBytes { count: 89 }),
    );
    // Bytes appended after a good file.
    let mut appended = raw_file(1, 1, &[(k(1), 1, 0, 0, vec![])]);
    appended.extend_from_slice(&[0; 5]);
    check("appended.snap", appended, &|r| {
        matches!(r, CorruptReason::TrailingBytes { count: 5 })
    });
}

/// A store whose listing fails, to make a save fail part way.
struct FailingStore(InMemoryAccounts);

impl AccountsRead for FailingStore {
    fn load(&self, key: &Pubkey) -> Option<Account> {
        self.0.load(key)
    }
}

impl AccountsCommit for FailingStore {
    fn commit(&self, changes: &[(Pubkey, Account)]) -> Result<(), StoreError> {
        self.0.commit(changes)
    }
}

impl AccountsStore for FailingStore {
    fn state_hash(&self) -> StateHash {
        self.0.state_hash()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn for_each_account(&self, _f: &mut dyn FnMut(Pubkey, Account)) -> Result<(), StoreError> {
        Err(StoreError::Io {
            path: PathBuf::from("backend"),
            source: std::io::Error::other("disk on fire"),
        })
    }
}

#[test]
fn a_failed_save_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.snap");
    let good = sample_store(50);
    good.save_snapshot(&path).unwrap();
    let before = std::fs::read(&path).unwrap();

    let failing = FailingStore(sample_store(60));
    assert!(baton_accounts_db::save_snapshot(&failing, &path).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // Renaming onto a directory fails after the temporary file is written:
    // the temporary is removed and the error names the target.
    let blocked = dir.path().join("blocked");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("keep"), b"x").unwrap();
    match good.save_snapshot(&blocked).unwrap_err() {
        StoreError::Io { path, .. } => assert_eq!(path, blocked),
        other => panic!("{other:?}"),
    }
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["blocked", "state.snap"]);
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // A directory that does not exist.
    let nowhere = dir.path().join("no/such/dir/state.snap");
    match good.save_snapshot(&nowhere).unwrap_err() {
        StoreError::Io { path, .. } => assert_eq!(path, dir.path().join("no/such/dir")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        InMemoryAccounts::load_snapshot(&path).unwrap().state_hash(),
        good.state_hash()
    );
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_directory_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.snap");
    let good = sample_store(5);
    good.save_snapshot(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions; there is nothing to test then.
    let probe = dir.path().join("probe");
    if std::fs::write(&probe, b"").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: directory permissions are not enforced for this user");
        return;
    }
    let err = sample_store(9).save_snapshot(&path).unwrap_err();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
