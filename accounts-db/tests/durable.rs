//! The durable store: the same semantics and state hash as the in-memory
//! store, batch atomicity, reopening, snapshot export and import, and
//! refusal of bad store files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baton_accounts_db::{
    save_snapshot, state_hash_of, AccountsCommit, AccountsRead, AccountsStore, DurableAccounts,
    InMemoryAccounts, StoreError, StoreFileProblem, STORE_VERSION,
};
use baton_types::{Account, Pubkey, MAX_PERMITTED_DATA_LENGTH};

fn account(lamports: u64, data: Vec<u8>, owner: u64) -> Account {
    let mut a = Account::with_data(lamports, data, &Pubkey::new_from_u64(owner));
    a.rent_epoch = lamports % 3;
    a.executable = matches!(lamports % 5, 0);
    a
}

/// A deterministic stream of writes: keys from a small range so that
/// accounts are replaced and removed (a quarter of the writes zero the
/// lamports).
fn churn(seed: u64, n: usize, keys: u64) -> Vec<(Pubkey, Account)> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = Pubkey::new_from_u64((x >> 33) % keys);
            let lamports = (x >> 20) % 4 * 1000;
            let len = ((x >> 8) % 40) as usize;
            (k, account(lamports, vec![(x >> 3) as u8; len], x % 7))
        })
        .collect()
}

fn apply(model: &mut BTreeMap<Pubkey, Account>, changes: &[(Pubkey, Account)]) {
    for (k, a) in changes {
        if a.lamports == 0 {
            model.remove(k);
        } else {
            model.insert(*k, a.clone());
        }
    }
}

fn store_path(dir: &Path) -> PathBuf {
    dir.join("accounts.redb")
}

fn bad_file_problem(err: StoreError, path: &Path) -> StoreFileProblem {
    let text = err.to_string();
    assert!(
        text.contains(&path.display().to_string()),
        "message names the file: {text}"
    );
    match err {
        StoreError::BadStoreFile { path: p, problem } => {
            assert_eq!(p, path);
            problem
        }
        other => panic!("expected BadStoreFile, got {other:?}"),
    }
}

#[test]
fn matches_the_in_memory_store_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(dir.path());
    let mem = InMemoryAccounts::new();
    let mut model = BTreeMap::new();
    {
        let durable = DurableAccounts::open(&path).unwrap();
        assert!(durable.is_empty());
        assert_eq!(durable.state_hash(), mem.state_hash());
        for batch in 0..12u64 {
            let changes = churn(batch, 150, 200);
            // Commits one at a time, as the runtime's workers do.
            for c in &changes {
                durable.commit(std::slice::from_ref(c)).unwrap();
                mem.commit(std::slice::from_ref(c)).unwrap();
            }
            apply(&mut model, &changes);
            // Before and after the batch ends, loads and the hash agree.
            assert_eq!(durable.state_hash(), mem.state_hash(), "batch {batch}");
            assert_eq!(durable.len(), model.len());
            durable.end_batch().unwrap();
            assert!(!durable.has_pending());
            assert_eq!(durable.state_hash(), state_hash_of(&model));
            assert_eq!(durable.len(), model.len());
            for k in 0..200 {
                let k = Pubkey::new_from_u64(k);
                assert_eq!(durable.load(&k), model.get(&k).cloned());
                assert_eq!(durable.load_lamports(&k), model.get(&k).map(|a| a.lamports));
                assert_eq!(durable.contains(&k), model.contains_key(&k));
                let mut out = account(1, vec![9; 64], 0);
                assert_eq!(durable.load_into(&k, &mut out), model.contains_key(&k));
                if let Some(a) = model.get(&k) {
                    assert_eq!(&out, a);
                }
            }
        }
        assert_eq!(durable.committed_batches(), 12);
        let listed = durable.accounts_sorted().unwrap();
        let want: Vec<_> = model.iter().map(|(k, a)| (*k, a.clone())).collect();
        assert_eq!(listed, want);
        durable.verify().unwrap();
    }
    let reopened = DurableAccounts::open(&path).unwrap();
    assert_eq!(reopened.state_hash(), mem.state_hash());
    assert_eq!(reopened.len(), model.len());
    assert_eq!(reopened.committed_batches(), 12);
    reopened.verify().unwrap();
}

#[test]
fn a_batch_not_ended_is_not_durable_and_one_ended_is_all_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(dir.path());
    let first = churn(1, 100, 50);
    let second = churn(2, 100, 50);
    let mut model = BTreeMap::new();
    apply(&mut model, &first);
    let after_first = state_hash_of(&model);
    {
        let s = DurableAccounts::open(&path).unwrap();
        s.commit(&first).unwrap();
        s.end_batch().unwrap();
        s.commit(&second).unwrap();
        // Visible before it ends...
        let mut m2 = model.clone();
        apply(&mut m2, &second);
        assert_eq!(s.state_hash(), state_hash_of(&m2));
        // ...and dropped without `end_batch`: as if the process died here.
    }
    let s = DurableAccounts::open(&path).unwrap();
    assert_eq!(s.state_hash(), after_first);
    assert_eq!(s.committed_batches(), 1);
    // An empty batch writes nothing.
    s.end_batch().unwrap();
    assert_eq!(s.committed_batches(), 1);
}

#[test]
fn oversized_commit_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = DurableAccounts::open(store_path(dir.path())).unwrap();
    let big = Account::new(1, MAX_PERMITTED_DATA_LENGTH + 1, &Pubkey::default());
    let k2 = Pubkey::new_from_u64(2);
    let err = s
        .commit(&[(Pubkey::new_from_u64(1), account(5, vec![], 1)), (k2, big)])
        .unwrap_err();
    assert!(matches!(err, StoreError::DataTooLarge { key, .. } if key == k2));
    assert!(!s.has_pending());
    assert!(s.is_empty());
}

#[test]
fn concurrent_commits_from_many_threads() {
    let dir = tempfile::tempdir().unwrap();
    let s = DurableAccounts::open(store_path(dir.path())).unwrap();
    // Disjoint keys per thread, as the scheduler guarantees.
    let changes: Vec<_> = (0..4000u64)
        .map(|i| {
            (
                Pubkey::new_from_u64(i),
                account(i + 1, vec![i as u8; 10], 3),
            )
        })
        .collect();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (s, changes) = (&s, &changes);
            scope.spawn(move || {
                for c in changes.iter().skip(t).step_by(4) {
                    s.commit(std::slice::from_ref(c)).unwrap();
                }
            });
        }
    });
    s.end_batch().unwrap();
    let model: BTreeMap<_, _> = changes.iter().cloned().collect();
    assert_eq!(s.state_hash(), state_hash_of(&model));
    s.verify().unwrap();
}

#[test]
fn snapshots_export_and_import_between_backends() {
    let dir = tempfile::tempdir().unwrap();
    let mem = InMemoryAccounts::new();
    let durable = DurableAccounts::open(store_path(dir.path())).unwrap();
    let changes = churn(5, 2000, 700);
    mem.commit(&changes).unwrap();
    durable.commit(&changes[..1500]).unwrap();
    durable.end_batch().unwrap();
    // Pending writes are part of the export.
    durable.commit(&changes[1500..]).unwrap();
    let from_mem = dir.path().join("mem.snap");
    let from_durable = dir.path().join("durable.snap");
    mem.save_snapshot(&from_mem).unwrap();
    save_snapshot(&durable, &from_durable).unwrap();
    // The same accounts give byte-identical files.
    assert_eq!(
        std::fs::read(&from_mem).unwrap(),
        std::fs::read(&from_durable).unwrap()
    );

    let imported =
        DurableAccounts::import_snapshot(&from_mem, dir.path().join("imported.redb")).unwrap();
    assert_eq!(imported.state_hash(), mem.state_hash());
    assert_eq!(imported.len(), mem.len());
    imported.verify().unwrap();
    drop(imported);
    let reopened = DurableAccounts::open(dir.path().join("imported.redb")).unwrap();
    assert_eq!(reopened.state_hash(), mem.state_hash());
    let back = InMemoryAccounts::load_snapshot(&from_durable).unwrap();
    assert_eq!(back.state_hash(), mem.state_hash());

    // An existing target is refused and left alone.
    let target = dir.path().join("imported.redb");
    drop(reopened);
    let before = std::fs::read(&target).unwrap();
    match DurableAccounts::import_snapshot(&from_mem, &target).unwrap_err() {
        StoreError::Io { path, source } => {
            assert_eq!(path, target);
            assert_eq!(source.kind(), std::io::ErrorKind::AlreadyExists);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&target).unwrap(), before);

    // A corrupt snapshot leaves no store file behind.
    let mut bytes = std::fs::read(&from_mem).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let bad_snap = dir.path().join("bad.snap");
    std::fs::write(&bad_snap, bytes).unwrap();
    let not_created = dir.path().join("never.redb");
    let err = DurableAccounts::import_snapshot(&bad_snap, &not_created).unwrap_err();
    assert!(matches!(err, StoreError::CorruptSnapshot { .. }), "{err:?}");
    assert!(!not_created.exists());
}

// ----- bad store files -----

#[test]
fn an_empty_file_is_refused_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(dir.path());
    std::fs::write(&path, b"").unwrap();
    let err = DurableAccounts::open(&path).unwrap_err();
    assert_eq!(bad_file_problem(err, &path), StoreFileProblem::Empty);
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A snapshot, some text, and random bytes.
    let snap = dir.path().join("state.snap");
    let mem = InMemoryAccounts::new();
    mem.commit(&churn(3, 50, 50)).unwrap();
    mem.save_snapshot(&snap).unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database\n".repeat(400)).unwrap();
    let noise = dir.path().join("noise.bin");
    let mut x = 99u64;
    let bytes: Vec<u8> = (0..20_000)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            (x >> 56) as u8
        })
        .collect();
    std::fs::write(&noise, bytes).unwrap();
    for path in [&snap, &text, &noise] {
        let before = std::fs::read(path).unwrap();
        let err = DurableAccounts::open(path).unwrap_err();
        let problem = bad_file_problem(err, path);
        assert!(
            matches!(problem, StoreFileProblem::Unreadable(_)),
            "{}: {problem:?}",
            path.display()
        );
        assert_eq!(std::fs::read(path).unwrap(), before, "left as it was");
    }
}

#[test]
fn a_database_without_store_metadata_or_with_another_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A redb database of someone else's.
    let foreign = dir.path().join("foreign.redb");
    {
        let db = redb::Database::create(&foreign).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<u64, u64> = redb::TableDefinition::new("things");
            txn.open_table(def).unwrap().insert(1, 2).unwrap();
        }
        txn.commit().unwrap();
    }
    let err = DurableAccounts::open(&foreign).unwrap_err();
    assert_eq!(bad_file_problem(err, &foreign), StoreFileProblem::NotAStore);

    // A store whose metadata says version 99, then one with a malformed
    // count.
    let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
    let path = store_path(dir.path());
    drop(DurableAccounts::open(&path).unwrap());
    let rewrite = |key: &str, value: &[u8]| {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(meta).unwrap().insert(key, value).unwrap();
        txn.commit().unwrap();
    };
    rewrite("version", &99u32.to_le_bytes());
    let err = DurableAccounts::open(&path).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()) && text.contains("99"));
    match err {
        StoreError::UnsupportedStoreVersion {
            path: p,
            found,
            expected,
        } => {
            assert_eq!((p, found, expected), (path.clone(), 99, STORE_VERSION));
        }
        other => panic!("{other:?}"),
    }
    rewrite("version", &STORE_VERSION.to_le_bytes());
    rewrite("count", b"xyz");
    let err = DurableAccounts::open(&path).unwrap_err();
    assert_eq!(
        bad_file_problem(err, &path),
        StoreFileProblem::BadMetadata { key: "count" }
    );
    // A recorded count that the accounts do not match opens (the hash is
    // trusted), and `verify` catches it.
    rewrite("count", &5u64.to_le_bytes());
    let s = DurableAccounts::open(&path).unwrap();
    let err = s.verify().unwrap_err();
    assert!(matches!(
        bad_file_problem(err, &path),
        StoreFileProblem::HashMismatch {
            recorded_count: 5,
            found_count: 0,
            sum_matches: true
        }
    ));
}

#[test]
fn a_store_open_elsewhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(dir.path());
    let _held = DurableAccounts::open(&path).unwrap();
    let err = DurableAccounts::open(&path).unwrap_err();
    assert_eq!(bad_file_problem(err, &path), StoreFileProblem::AlreadyOpen);
}

#[test]
fn truncated_store_files_are_refused_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(dir.path());
    {
        let s = DurableAccounts::open(&path).unwrap();
        for b in 0..5 {
            s.commit(&churn(b, 300, 400)).unwrap();
            s.end_batch().unwrap();
        }
    }
    let good = std::fs::read(&path).unwrap();
    let cut = dir.path().join("cut.redb");
    let len = good.len();
    let mut refused = 0;
    let mut lengths: Vec<usize> = (0..64).map(|i| i * 8).collect();
    lengths.extend((1..40).map(|i| len * i / 40));
    lengths.push(len - 1);
    for n in lengths {
        std::fs::write(&cut, &good[..n]).unwrap();
        match DurableAccounts::open(&cut) {
            Err(err) => {
                let text = err.to_string();
                assert!(text.contains("cut.redb"), "{n}: {text}");
                assert!(
                    matches!(err, StoreError::BadStoreFile { .. }),
                    "{n}: {err:?}"
                );
                refused += 1;
            }
            // redb may repair a file cut inside free space; what opens must
            // then be whole.
            Ok(s) => s.verify().unwrap(),
        }
    }
    assert!(refused > 60, "only {refused} truncations refused");
}

#[test]
fn corrupted_store_files_are_refused_or_caught_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(dir.path());
    let mut model = BTreeMap::new();
    {
        let s = DurableAccounts::open(&path).unwrap();
        for b in 0..3 {
            let changes = churn(b, 200, 300);
            apply(&mut model, &changes);
            s.commit(&changes).unwrap();
            s.end_batch().unwrap();
        }
    }
    let want = state_hash_of(&model);
    let good = std::fs::read(&path).unwrap();
    let bad = dir.path().join("flipped.redb");
    let (mut refused, mut caught, mut harmless) = (0, 0, 0);
    for i in 0..200 {
        let at = (i * 7919 + 13) % good.len();
        let mut bytes = good.clone();
        bytes[at] ^= 0x5a;
        std::fs::write(&bad, &bytes).unwrap();
        match DurableAccounts::open(&bad) {
            Err(err) => {
                assert!(err.to_string().contains("flipped.redb"), "{at}: {err}");
                refused += 1;
            }
            Ok(s) => {
                // A flip in unused space changes nothing; one in the data
                // must not go unnoticed by a full check.
                let all_good = s.verify().is_ok()
                    && s.state_hash() == want
                    && s.accounts_sorted().ok()
                        == Some(model.iter().map(|(k, a)| (*k, a.clone())).collect());
                if all_good {
                    harmless += 1;
                } else {
                    assert!(
                        s.verify().is_err() || s.state_hash() != want,
                        "{at}: corruption not detected"
                    );
                    caught += 1;
                }
            }
        }
    }
    eprintln!(
        "bit flips: {refused} refused at open, {caught} caught by verify, {harmless} harmless"
    );
}
