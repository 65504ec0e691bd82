//! The crash test: a child process commits deterministic batches to a
//! durable store and is killed with SIGKILL at random moments, many times.
//! After every kill the store must open, hold exactly the state after some
//! whole prefix of the batches (its state hash equals the hash a model
//! computes for that prefix) and have lost no batch the child acknowledged.
//!
//! The child is this test binary itself, run with `BATON_CRASH_CHILD` set
//! and filtered to `crash_child`. `BATON_CRASH_KILLS` sets the number of
//! kills (default 20, a few seconds); `BATON_CRASH_SEED` the seed of the
//! batches and of the kill delays.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use baton_accounts_db::{state_hash_of, AccountsCommit, AccountsStore, DurableAccounts, StateHash};
use baton_types::{Account, Pubkey};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CHILD_ENV: &str = "BATON_CRASH_CHILD";

/// Batch `n` (1-based) of the run with `seed`: a function of the two only.
/// Every eighth batch is large (3,000 writes of 256 bytes), to widen the
/// window in which a kill lands inside the database commit; a fifth of the
/// writes remove their account.
fn batch(seed: u64, n: u64) -> Vec<(Pubkey, Account)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let (writes, max_len) = if n.is_multiple_of(8) {
        (3000, 256)
    } else {
        (rng.gen_range(1..200), 64)
    };
    (0..writes)
        .map(|_| {
            let key = Pubkey::new_from_u64(rng.gen_range(0..5000));
            let lamports = if rng.gen_ratio(1, 5) {
                0
            } else {
                rng.gen_range(1..1_000_000)
            };
            let len = rng.gen_range(0..=max_len);
            let data = (0..len).map(|_| rng.gen()).collect();
            let mut a =
                Account::with_data(lamports, data, &Pubkey::new_from_u64(rng.gen_range(0..4)));
            a.rent_epoch = rng.gen_range(0..3);
            (key, a)
        })
        .collect()
}

/// The child: open the store, go on from the batch after the last one it
/// holds, forever. Each transaction's writes are committed separately, as
/// the runtime's workers do; "committed N HASH" is printed once batch N's
/// `end_batch` has returned.
fn child_main(spec: &str) -> ! {
    let (dir, seed) = spec.split_once('|').expect("dir|seed");
    let seed: u64 = seed.parse().expect("seed");
    let store = DurableAccounts::open(Path::new(dir).join("accounts.redb")).expect("open");
    let mut n = store.committed_batches();
    loop {
        n += 1;
        for tx in batch(seed, n).chunks(3) {
            store.commit(tx).expect("commit");
        }
        store.end_batch().expect("end_batch");
        println!("committed {n} {}", store.state_hash());
    }
}

#[test]
fn crash_child() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        child_main(&spec);
    }
}

/// The state hashes after each prefix of the batches, extended on demand.
struct Model {
    seed: u64,
    accounts: BTreeMap<Pubkey, Account>,
    hashes: Vec<StateHash>,
}

impl Model {
    fn hash_after(&mut self, n: u64) -> StateHash {
        while self.hashes.len() as u64 <= n {
            let next = self.hashes.len() as u64;
            for (k, a) in batch(self.seed, next) {
                if a.lamports == 0 {
                    self.accounts.remove(&k);
                } else {
                    self.accounts.insert(k, a);
                }
            }
            self.hashes.push(state_hash_of(&self.accounts));
        }
        self.hashes[n as usize]
    }
}

#[cfg(unix)]
#[test]
fn killed_mid_commit_the_store_holds_a_whole_prefix() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let env_num = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let kills = env_num("BATON_CRASH_KILLS", 20);
    let seed = env_num("BATON_CRASH_SEED", 7);
    // On the target directory's disk, not a tmpfs, so fsync is real.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let path = dir.path().join("accounts.redb");
    let exe = std::env::current_exe().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut model = Model {
        seed,
        accounts: BTreeMap::new(),
        hashes: vec![state_hash_of(&BTreeMap::new())],
    };
    let started = Instant::now();
    let (mut acked, mut in_flight_survived, mut mid_open) = (0u64, 0u64, 0u64);
    for kill in 0..kills {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, format!("{}|{seed}", dir.path().display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(10..250)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let before = acked;
        for line in out.lines() {
            // The first line follows libtest's "test crash_child ... ".
            let Some(at) = line.find("committed ") else {
                continue;
            };
            let mut words = line[at..].split(' ');
            if let (Some("committed"), Some(n), Some(h)) =
                (words.next(), words.next(), words.next())
            {
                let Ok(n) = n.parse::<u64>() else { continue };
                // A line cut by the kill has a short hash: skip it.
                if h.len() == 64 {
                    assert_eq!(h, model.hash_after(n).to_string(), "kill {kill}: batch {n}");
                }
                acked = acked.max(n);
            }
        }
        if acked == before {
            mid_open += 1;
        }
        let store = match DurableAccounts::open(&path) {
            Ok(s) => s,
            // Killed before the first store file was renamed into place.
            Err(baton_accounts_db::StoreError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound && acked == 0 =>
            {
                continue
            }
            Err(e) => panic!("kill {kill}: reopening failed: {e}"),
        };
        let m = store.committed_batches();
        assert!(
            m >= acked,
            "kill {kill}: batch {acked} was acknowledged, store holds {m}"
        );
        assert!(
            m <= acked + 1,
            "kill {kill}: store holds {m}, only {acked} acknowledged; child said:\n{out}"
        );
        in_flight_survived += m - acked;
        acked = m;
        assert_eq!(
            store.state_hash(),
            model.hash_after(m),
            "kill {kill}: state is not the state after batch {m}"
        );
        if kill.is_multiple_of(5) || kill + 1 == kills {
            store.verify().unwrap();
        }
    }
    eprintln!(
        "crash test: {kills} kills in {:.1?}, {acked} batches committed, \
         {in_flight_survived} unacknowledged batches found committed, \
         {mid_open} kills before any new batch was acknowledged",
        started.elapsed()
    );
    assert!(acked > 0, "the child never committed a batch");
}
