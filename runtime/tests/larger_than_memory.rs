//! State larger than the process's memory, loaded and used through the
//! durable backend.
//!
//! The parent writes a snapshot of a generated state (by default about
//! 256 MB of account data: tens of thousands of accounts of 1 to 7 KiB),
//! streaming it through [`save_snapshot`] from a store that generates each
//! account from its index when asked, so neither the parent nor anything
//! else ever holds the state in memory. It computes the expected state hash
//! in the same pass. A child process — this test binary run again with
//! `BATON_BIG_STATE_CHILD` set, filtered to `big_state_child` — then, with
//! a small redb page cache:
//!
//! 1. imports the snapshot into a new durable store, checks its state hash
//!    against the parent's and reads a seeded sample of accounts back,
//!    comparing each with its generated contents;
//! 2. reopens the store under a [`Runtime`] with
//!    [`Runtime::with_storage_options`], executes a batch of system
//!    transfers from the state's wallets to its data accounts, and checks
//!    the results, the touched accounts and the state hash against an
//!    in-memory runtime holding only the touched accounts (the state hash is
//!    a sum of per-account digests, so the expected hash of the whole state
//!    is the parent's sum minus the touched accounts' old digests plus the
//!    in-memory runtime's digests);
//! 3. reopens the store once more and checks the batch is there;
//!
//! and prints its peak resident set size (`VmHWM`). The parent asserts that
//! the peak is under half the state's size and under the page cache plus a
//! fixed allowance, which does not grow with the state.
//!
//! `BATON_BIG_STATE_MB` sets the size of the account data (default 256),
//! `BATON_BIG_STATE_CACHE_MB` the child's page cache (default 16) and
//! `BATON_BIG_STATE_SEED` the seed. Where `/proc/self/status` has no
//! `VmHWM` (not Linux) the test says so and skips.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use baton::{
    ids, system, Account, AccountsCommit, AccountsRead, AccountsStore, DurableAccounts,
    DurableOptions, Hash, Message, Pubkey, Runtime, Signature, StateHash, StoreError, Transaction,
};
use baton_accounts_db::{account_hash, save_snapshot, HashSum};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CHILD_ENV: &str = "BATON_BIG_STATE_CHILD";
/// One account in this many is a wallet: a system account with no data,
/// able to pay fees and send transfers.
const WALLET_EVERY: u64 = 16;
const MIN_DATA: u64 = 1024;
const MAX_DATA: u64 = 7 * 1024;
/// What the child's peak RSS may exceed its page cache by: the test
/// binary, thread stacks, allocator slack, one batch. It does not depend on
/// the state's size.
const FIXED_ALLOWANCE_MB: u64 = 64;
/// Transfers in the child's batch.
const TRANSFERS: u64 = 256;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generated state: accounts `0..n` of the run with `seed`.
#[derive(Clone, Copy, Debug)]
struct Spec {
    seed: u64,
    n: u64,
}

impl Spec {
    /// Enough accounts for about `mb` megabytes of data.
    fn for_mb(seed: u64, mb: u64) -> Self {
        let mean_data = (MIN_DATA + MAX_DATA) / 2 * (WALLET_EVERY - 1) / WALLET_EVERY;
        Self {
            seed,
            n: (mb * 1_000_000 / mean_data).max(2 * WALLET_EVERY),
        }
    }

    /// Account `i`'s key. Keys increase with `i`, so the accounts are
    /// generated in key order, as a snapshot lists them.
    fn key(i: u64) -> Pubkey {
        let mut b = [0u8; 32];
        b[0] = 0xBA;
        b[1..9].copy_from_slice(&i.to_be_bytes());
        b[9..17].copy_from_slice(&mix(i).to_le_bytes());
        b[31] = 0x7e;
        Pubkey::new_from_array(b)
    }

    fn is_wallet(i: u64) -> bool {
        i.is_multiple_of(WALLET_EVERY)
    }

    /// Account `i`: a function of the seed and `i` only.
    fn account(&self, i: u64) -> Account {
        let h = mix(self.seed ^ mix(i));
        if Self::is_wallet(i) {
            let mut a = Account::new(10_000_000_000 + i, 0, &ids::SYSTEM_PROGRAM);
            a.rent_epoch = h % 3;
            return a;
        }
        let len = MIN_DATA + h % (MAX_DATA - MIN_DATA);
        let mut data = vec![0u8; len as usize];
        let mut x = h;
        for chunk in data.chunks_mut(8) {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            chunk.copy_from_slice(&mix(x).to_le_bytes()[..chunk.len()]);
        }
        let owner = Pubkey::new_from_u64(1 + (h >> 8) % 4);
        let mut a = Account::with_data(1_000_000_000 + (h >> 40), data, &owner);
        a.rent_epoch = h % 3;
        a
    }
}

/// A read-only store whose accounts are generated on demand, so that
/// [`save_snapshot`] streams the whole state without it ever being in
/// memory. Listing the accounts also sums their digests.
struct Generated {
    spec: Spec,
    sum: Mutex<HashSum>,
}

impl AccountsRead for Generated {
    fn load(&self, key: &Pubkey) -> Option<Account> {
        let mut i = [0u8; 8];
        i.copy_from_slice(&key.0[1..9]);
        let i = u64::from_be_bytes(i);
        (i < self.spec.n && Spec::key(i) == *key).then(|| self.spec.account(i))
    }
}

impl AccountsCommit for Generated {
    fn commit(&self, _: &[(Pubkey, Account)]) -> Result<(), StoreError> {
        unreachable!("the generated state is read-only")
    }
}

impl AccountsStore for Generated {
    fn state_hash(&self) -> StateHash {
        self.sum.lock().unwrap().finalize(self.spec.n)
    }

    fn len(&self) -> usize {
        self.spec.n as usize
    }

    fn for_each_account(&self, f: &mut dyn FnMut(Pubkey, Account)) -> Result<(), StoreError> {
        self.for_each_account_sorted(&mut |k, a| {
            f(*k, a.clone());
            Ok(())
        })
    }

    fn for_each_account_sorted(
        &self,
        f: &mut dyn FnMut(&Pubkey, &Account) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut sum = HashSum::ZERO;
        for i in 0..self.spec.n {
            let (key, account) = (Spec::key(i), self.spec.account(i));
            sum.add(&account_hash(&key, &account));
            f(&key, &account)?;
        }
        *self.sum.lock().unwrap() = sum;
        Ok(())
    }
}

/// What the parent tells the child.
struct ChildArgs {
    dir: String,
    spec: Spec,
    cache_mb: u64,
    /// The digest sum of the state, as 32 bytes of hex.
    sum: HashSum,
}

impl ChildArgs {
    fn encode(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.dir,
            self.spec.seed,
            self.spec.n,
            self.cache_mb,
            hex::encode(self.sum.to_bytes())
        )
    }

    fn decode(s: &str) -> Self {
        let parts: Vec<&str> = s.split('|').collect();
        assert_eq!(parts.len(), 5, "child spec {s:?}");
        let mut digest = [0u8; 32];
        digest.copy_from_slice(&hex::decode(parts[4]).unwrap());
        let mut sum = HashSum::ZERO;
        sum.add(&digest);
        Self {
            dir: parts[0].to_owned(),
            spec: Spec {
                seed: parts[1].parse().unwrap(),
                n: parts[2].parse().unwrap(),
            },
            cache_mb: parts[3].parse().unwrap(),
            sum,
        }
    }
}

/// `VmHWM` of this process, in KiB, or `None` without `/proc`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The state hash of the generated state (digest sum `sum`) with the
/// accounts at `replaced` swapped for every account of `reference`: its
/// state hash is what a store holding the generated state and then
/// `reference`'s accounts has.
fn expected_hash(args: &ChildArgs, replaced: &[u64], reference: &dyn AccountsStore) -> StateHash {
    let mut sum = args.sum;
    for &i in replaced {
        sum.sub(&account_hash(&Spec::key(i), &args.spec.account(i)));
    }
    let mut count = args.spec.n - replaced.len() as u64;
    reference
        .for_each_account(&mut |k, a| {
            sum.add(&account_hash(&k, &a));
            count += 1;
        })
        .unwrap();
    sum.finalize(count)
}

/// `TRANSFERS` transfers from seeded wallets to seeded data accounts, each
/// with its own (unchecked) signature so that history does not refuse any.
fn transfers(spec: &Spec, rng: &mut ChaCha8Rng, blockhash: &Hash) -> (Vec<Transaction>, Vec<u64>) {
    let wallets = spec.n.div_ceil(WALLET_EVERY);
    let mut touched = Vec::new();
    let txs = (0..TRANSFERS)
        .map(|t| {
            let from = rng.gen_range(0..wallets) * WALLET_EVERY;
            let to = loop {
                let to = rng.gen_range(0..spec.n);
                if !Spec::is_wallet(to) {
                    break to;
                }
            };
            touched.extend([from, to]);
            let ix = system::instruction::transfer(&Spec::key(from), &Spec::key(to), 1_000 + t);
            let msg = Message::new_with_blockhash(&[ix], Some(&Spec::key(from)), blockhash);
            let mut tx = Transaction::new_unsigned(msg);
            let mut sig = [0u8; 64];
            sig[..8].copy_from_slice(&t.to_le_bytes());
            sig[8..16].copy_from_slice(&spec.seed.to_le_bytes());
            tx.signatures[0] = Signature(sig);
            tx
        })
        .collect();
    touched.sort_unstable();
    touched.dedup();
    (txs, touched)
}

fn child_main(spec: &str) {
    let args = ChildArgs::decode(spec);
    let dir = Path::new(&args.dir);
    let snapshot = dir.join("state.snap");
    let path = dir.join("state.redb");
    let options = DurableOptions::default().with_cache_bytes((args.cache_mb << 20) as usize);
    let n = args.spec.n;
    let whole = args.sum.finalize(n);
    let mut rng = ChaCha8Rng::seed_from_u64(args.spec.seed);

    // 1. Import, and read a sample back.
    let started = Instant::now();
    let store = DurableAccounts::import_snapshot_with(&snapshot, &path, &options).unwrap();
    let imported = started.elapsed();
    assert_eq!(store.state_hash(), whole, "imported state hash");
    assert_eq!(store.len() as u64, n);
    for _ in 0..256 {
        let i = rng.gen_range(0..n);
        assert_eq!(
            store.load(&Spec::key(i)),
            Some(args.spec.account(i)),
            "account {i}"
        );
    }
    assert_eq!(store.load(&Spec::key(n)), None);
    drop(store);
    std::fs::remove_file(&snapshot).unwrap();
    let import_peak = peak_rss_kib();

    // 2. Reopen it under a runtime and run a batch of transfers.
    let mut rt = Runtime::new()
        .with_sigverify(false)
        .with_threads(2)
        .with_storage_options(&path, options)
        .unwrap();
    let mut reference = Runtime::new().with_sigverify(false).with_threads(2);
    assert_eq!(
        rt.state_hash(),
        expected_hash(&args, &[], &**reference.store()),
        "the state with the runtime's builtin accounts"
    );
    let (txs, touched) = transfers(&args.spec, &mut rng, &rt.latest_blockhash());
    for &i in &touched {
        reference
            .set_account(Spec::key(i), args.spec.account(i))
            .unwrap();
    }
    let results = rt.execute_batch(&txs);
    assert!(rt.take_store_errors().is_empty());
    assert_eq!(results, reference.execute_batch(&txs));
    assert!(results.iter().all(|r| r.status.is_ok()), "{results:?}");
    for &i in &touched {
        let key = Spec::key(i);
        assert_eq!(rt.account(&key), reference.account(&key), "account {i}");
        assert_ne!(rt.account(&key), Some(args.spec.account(i)), "account {i}");
    }
    let after = expected_hash(&args, &touched, &**reference.store());
    assert_eq!(rt.state_hash(), after, "state hash after the transfers");
    drop(rt);

    // 3. The batch is durable.
    let store = DurableAccounts::open_existing_with(&path, &options).unwrap();
    assert_eq!(store.state_hash(), after, "reopened after the transfers");
    drop(store);

    let kib = |k: Option<u64>| k.map_or_else(|| "unknown".to_owned(), |k| k.to_string());
    println!(
        "big-state-child peak_rss_kib={} import_peak_rss_kib={} import_ms={} total_ms={}",
        kib(peak_rss_kib()),
        kib(import_peak),
        imported.as_millis(),
        started.elapsed().as_millis()
    );
}

#[test]
fn big_state_child() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        child_main(&spec);
    }
}

#[test]
fn state_larger_than_memory_runs_through_the_durable_store() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    if peak_rss_kib().is_none() {
        eprintln!("skipped: no VmHWM in /proc/self/status to measure memory with");
        return;
    }
    let mb = env_num("BATON_BIG_STATE_MB", 256);
    let cache_mb = env_num("BATON_BIG_STATE_CACHE_MB", 16);
    let spec = Spec::for_mb(env_num("BATON_BIG_STATE_SEED", 7), mb);
    // On the target directory's disk, not a tmpfs, which would be memory.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();

    let started = Instant::now();
    let generated = Generated {
        spec,
        sum: Mutex::new(HashSum::ZERO),
    };
    save_snapshot(&generated, &dir.path().join("state.snap")).unwrap();
    let state_bytes = std::fs::metadata(dir.path().join("state.snap"))
        .unwrap()
        .len();
    let written = started.elapsed();
    let args = ChildArgs {
        dir: dir.path().to_str().unwrap().to_owned(),
        spec,
        cache_mb,
        sum: *generated.sum.lock().unwrap(),
    };

    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "big_state_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, args.encode())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let report = stdout
        .lines()
        .find_map(|l| l.split_once("big-state-child ").map(|(_, r)| r))
        .unwrap_or_else(|| panic!("no report from the child:\n{stdout}"));
    let field = |name: &str| -> u64 {
        report
            .split(' ')
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {report:?}"))
    };
    let peak = field("peak_rss_kib") * 1024;
    let store_bytes = std::fs::metadata(dir.path().join("state.redb"))
        .unwrap()
        .len();
    eprintln!(
        "larger-than-memory: {} accounts, snapshot {:.0} MB, store file {:.0} MB, \
         cache {cache_mb} MiB, child peak RSS {:.1} MB ({:.1} MB by the end of the import); \
         snapshot written in {written:.1?}, import {} ms, child {} ms",
        spec.n,
        state_bytes as f64 / 1e6,
        store_bytes as f64 / 1e6,
        peak as f64 / 1e6,
        field("import_peak_rss_kib") as f64 * 1024.0 / 1e6,
        field("import_ms"),
        field("total_ms"),
    );
    assert!(
        peak < state_bytes / 2,
        "peak RSS {peak} B is not under half the state ({state_bytes} B)"
    );
    let budget = (cache_mb + FIXED_ALLOWANCE_MB) << 20;
    assert!(
        peak < budget,
        "peak RSS {peak} B is over the cache plus {FIXED_ALLOWANCE_MB} MiB ({budget} B)"
    );
}
