//! Seeded workload generators shared by the criterion benches and `baton bench`.
//!
//! A [`Workload`] is everything a runtime needs to run one benchmark: the
//! accounts to load, the extra programs to register, and the transactions
//! in batch order. The same name, [`Params`] and seed always give the same
//! workload, byte for byte, whatever the machine or thread count.
//!
//! | workload | what each transaction does | knobs |
//! |---|---|---|
//! | `uniform-transfers` | a system transfer between two of `accounts` funded accounts, drawn uniformly; `v0-alt` as a v0 message loading the recipient from a lookup table, with a unit limit and price | `variant` = `legacy` \| `v0-alt` |
//! | `zipf-transfers` | the same, both ends drawn from a Zipf law of exponent `skew` (rank 0 hottest) | `skew` |
//! | `hot-account` | a system transfer from a uniform payer to one of `hot` hot accounts | `hot` |
//! | `token-cpi` | a wrapper program moves tokens by CPI into the token program; `hot-mint` also burns a fee, writing the one mint; `sbpf` calls the p-token ELF instead of the native token program | `variant` = `uniform` \| `hot-mint` \| `sbpf` |
//! | `cpi-chain` | program A invokes B invokes C invokes D (the scripted test program under four ids), each writing a byte to its own account; D fails for a `fail_rate` share | `fail_rate` |
//! | `large-writes` | a program writes 10 KiB into an account it owns; `read-shared` also reads 32 shared read-only accounts | `variant` = `write` \| `read-shared` |
//! | `sbpf-token-transfers` | a Transfer of the mainnet p-token ELF (sBPF) between two token accounts of one mint | `variant` = `jit` \| `interpreter` |
//!
//! In every workload `accounts` is the number of funded fee payers; each
//! workload's table entry ([`WORKLOAD_INFO`]) says which other accounts it
//! creates. Use [`Workload::runtime`] to get a runtime loaded with it.
//!
//! Depends on the facade `baton` and on `baton-scenario` (the scripted
//! program of `cpi-chain`). Depended on by the CLI (`baton bench`) and its
//! own criterion benches.

use std::fmt;
use std::sync::Arc;

use baton::executor::sysvar::MAX_RECENT_BLOCKHASHES;
use baton::{
    Account, AccountsStore, Hash, Instruction, Keypair, Message, Program, Pubkey, Runtime,
    RuntimeError, Signature, Transaction,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

mod conflicts;
mod cpi_chain;
mod large_writes;
mod sbpf_transfers;
mod token_cpi;
mod transfers;
mod zipf;

pub use conflicts::{conflict_stats, ConflictStats};
pub use cpi_chain::{cpi_chain, CHAIN_FAIL_CODE, CHAIN_PROGRAMS, CHAIN_STATE_LEN};
pub use large_writes::{
    large_writes, LargeWriter, LargeWriterInstruction, LARGE_WRITER_ID, SHARED_ACCOUNTS,
    SHARED_LEN, WRITE_LEN,
};
pub use sbpf_transfers::{sbpf_token_transfers, P_TOKEN_ELF};
pub use token_cpi::{
    token_cpi, TokenCpiVariant, TokenMover, TokenMoverInstruction, TOKEN_MOVER_ID,
};
pub use transfers::{hot_account, uniform_transfers, zipf_transfers};
pub use zipf::Zipf;

/// Lamports every generated account starts with.
pub const FUNDING: u64 = 1_000_000_000_000;

/// Parameters of the workloads: the common ones, and one knob per
/// workload that has one (ignored by the others).
#[derive(Debug, Clone)]
pub struct Params {
    /// Number of transactions.
    pub txs: usize,
    /// Number of funded fee payers (see each workload for what else it
    /// creates).
    pub accounts: usize,
    /// Sign transactions for real (needed when signature checks are on);
    /// otherwise each gets a unique pseudo-random signature.
    pub sign: bool,
    /// Seed of the generator.
    pub seed: u64,
    /// Blockhash the transactions name.
    pub blockhash: Hash,
    /// How many newer blockhashes the runtime holds than the one the
    /// transactions name (see [`Workload::runtime`]): 0, they name the
    /// newest; at most 149, the oldest one still accepted. A node sees
    /// transactions naming any of the last 150.
    pub blockhash_age: usize,
    /// `zipf-transfers`: the Zipf exponent (0 is uniform; 0.8, 1.0 and 1.2
    /// are typical).
    pub skew: f64,
    /// `hot-account`: the number of hot accounts (1, 4, 16).
    pub hot: usize,
    /// `cpi-chain`: the share of transactions whose innermost call fails,
    /// in `[0, 1]`.
    pub fail_rate: f64,
    /// `token-cpi` (`uniform`, `hot-mint`) and `large-writes` (`write`,
    /// `read-shared`); `None` is the workload's first variant.
    pub variant: Option<String>,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            txs: 100_000,
            accounts: 100_000,
            sign: false,
            seed: 7,
            blockhash: baton::genesis_blockhash(),
            blockhash_age: 0,
            skew: 1.0,
            hot: 1,
            fail_rate: 0.1,
            variant: None,
        }
    }
}

/// Why [`generate`] made no workload.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorkloadError {
    /// No workload has this name.
    #[error("unknown workload '{0}'; known: {known}", known = WORKLOADS.join(", "))]
    UnknownWorkload(String),
    /// The workload has no such variant.
    #[error("workload '{workload}' has no variant '{variant}'; known: {known}", known = .known.join(", "))]
    UnknownVariant {
        /// The workload.
        workload: String,
        /// The variant asked for.
        variant: String,
        /// The workload's variants.
        known: &'static [&'static str],
    },
    /// A knob is out of range.
    #[error("{0}")]
    InvalidParam(&'static str),
}

/// Accounts to load, programs to register and transactions to run.
#[derive(Clone)]
pub struct Workload {
    /// Workload name, one of [`WORKLOADS`].
    pub name: &'static str,
    /// The name with the knob that shaped it, e.g. `zipf-transfers skew=1.2`;
    /// one line of a plot.
    pub label: String,
    /// One line saying what the transactions do.
    pub description: String,
    /// Accounts to set before running.
    pub accounts: Vec<(Pubkey, Account)>,
    /// Programs to register besides the runtime's builtins.
    pub programs: Vec<(Pubkey, Arc<dyn Program>)>,
    /// The transactions, in batch order.
    pub txs: Vec<Transaction>,
    /// How many newer blockhashes [`Workload::runtime`] adds after the one
    /// the transactions name ([`Params::blockhash_age`]).
    pub blockhash_age: usize,
}

impl fmt::Debug for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workload")
            .field("name", &self.name)
            .field("label", &self.label)
            .field("accounts", &self.accounts.len())
            .field(
                "programs",
                &self.programs.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("txs", &self.txs.len())
            .finish()
    }
}

impl Workload {
    /// Signatures per blockhash [`Workload::runtime`] makes room for ahead:
    /// every transaction of a workload names the one blockhash.
    pub fn history_capacity(&self) -> usize {
        self.txs.len()
    }

    /// A runtime with this workload's programs and accounts: `threads`
    /// workers, signature checks as `sigverify` says, log collection off,
    /// blockhash check and signature history on, the history sized for the
    /// workload's transactions (they all name one blockhash), as a node
    /// would size it for the transactions a blockhash sees (see
    /// [`Runtime::with_history_capacity`]). Before loading the accounts it
    /// advances [`Workload::blockhash_age`] times
    /// ([`Runtime::expire_blockhash`]), making room ahead for the newest
    /// blockhash's signatures only, as a node would have.
    pub fn runtime(&self, threads: usize, sigverify: bool) -> Result<Runtime, RuntimeError> {
        let mut rt = self.configured(Runtime::new(), threads, sigverify);
        for (key, account) in &self.accounts {
            rt.set_account(*key, account.clone())?;
        }
        Ok(rt)
    }

    /// A runtime configured as [`Workload::runtime`]'s over `store`, which
    /// already holds the workload's accounts: the store of another runtime
    /// of this workload, so that two runtimes share one state (each with
    /// its own history, program cache and threads). `baton bench
    /// --shared-pair` runs two such side by side. A new runtime writes its
    /// builtin programs into its store ([`Runtime::with_store`]); the
    /// workload's own accounts at reserved ids (a program deployed at a
    /// builtin's id, such as the p-token ELF at the token program's) are
    /// written back over them, as [`Workload::runtime`] writes them after
    /// the builtins. No transaction writes a reserved account, so those
    /// are the store's whatever ran on it.
    ///
    /// # Errors
    ///
    /// When the store refuses a write.
    pub fn runtime_on(
        &self,
        store: Arc<dyn AccountsStore>,
        threads: usize,
        sigverify: bool,
    ) -> Result<Runtime, RuntimeError> {
        let mut rt = self.configured(Runtime::with_store(store), threads, sigverify);
        for (key, account) in &self.accounts {
            if baton::ids::is_reserved(key) {
                rt.set_account(*key, account.clone())?;
            }
        }
        Ok(rt)
    }

    /// `rt` with the settings, the slot, the blockhashes and the programs of
    /// [`Workload::runtime`], before any account is loaded.
    fn configured(&self, rt: Runtime, threads: usize, sigverify: bool) -> Runtime {
        let mut rt = rt
            .with_sigverify(sigverify)
            .with_log_collection(false)
            .with_history_capacity(self.history_capacity())
            .with_threads(threads);
        // Past the genesis slot, in which the workloads' lookup tables were
        // filled: their addresses are usable from slot 1.
        rt.warp_to_slot(1);
        // Before the accounts, so that the history's room for the newest
        // blockhash (written when made) is not the last memory the setup
        // touched: a batch on a fresh runtime then finds the accounts as
        // warm as at age 0.
        if self.blockhash_age > 0 {
            rt = rt.with_history_capacity(0);
            for _ in 0..self.blockhash_age {
                rt.expire_blockhash();
            }
            rt = rt.with_history_capacity(self.history_capacity());
        }
        for (id, program) in &self.programs {
            rt.add_program(*id, Arc::clone(program));
        }
        rt
    }
}

/// What [`generate`] knows about a workload, for `--list` and validation.
#[derive(Debug, Clone, Copy)]
pub struct WorkloadInfo {
    /// The name.
    pub name: &'static str,
    /// What it does and which accounts it creates.
    pub summary: &'static str,
    /// Its knobs, as the CLI spells them, empty for none.
    pub knobs: &'static str,
    /// Its variants, the first the default; empty for none.
    pub variants: &'static [&'static str],
    /// A sensible `accounts` for a run of 200,000 transactions.
    pub default_accounts: usize,
    /// The fewest `accounts` the workload is built from: the generator
    /// raises a smaller number to this (a transfer needs two distinct
    /// accounts), and the CLI refuses one.
    pub min_accounts: usize,
}

/// The workloads, in [`WORKLOADS`] order.
pub const WORKLOAD_INFO: &[WorkloadInfo] = &[
    WorkloadInfo {
        name: "uniform-transfers",
        summary: "system transfers between two distinct funded accounts drawn uniformly; the sender pays; v0-alt sends each as a v0 message whose recipient comes from an address lookup table (one table per 256 accounts), with a unit limit and price",
        knobs: "--variant legacy|v0-alt",
        variants: &["legacy", "v0-alt"],
        default_accounts: 100_000,
        min_accounts: 2,
    },
    WorkloadInfo {
        name: "zipf-transfers",
        summary: "system transfers whose sender and receiver are drawn from a Zipf law (account 0 hottest)",
        knobs: "--skew S (default 1.0)",
        variants: &[],
        default_accounts: 100_000,
        min_accounts: 2,
    },
    WorkloadInfo {
        name: "hot-account",
        summary: "system transfers from a uniform payer to one of K hot accounts: every transaction writes a hot account",
        knobs: "--hot K (default 1)",
        variants: &[],
        default_accounts: 100_000,
        min_accounts: 1,
    },
    WorkloadInfo {
        name: "token-cpi",
        summary: "a wrapper program moves tokens between two token accounts by CPI into the token program (one token account per payer, one mint); hot-mint also burns a 1-token fee, writing the mint; sbpf calls the mainnet p-token ELF (sBPF, JIT) at Tokenkeg instead of the native token program",
        knobs: "--variant uniform|hot-mint|sbpf",
        variants: &["uniform", "hot-mint", "sbpf"],
        default_accounts: 100_000,
        min_accounts: 2,
    },
    WorkloadInfo {
        name: "cpi-chain",
        summary: "A invokes B invokes C invokes D, each writing a byte to its own account (accounts/4 chains of four 8-byte accounts); D fails for a share, rolling back all four writes, the fee still charged",
        knobs: "--fail-rate R (default 0.1)",
        variants: &[],
        default_accounts: 100_000,
        min_accounts: 1,
    },
    WorkloadInfo {
        name: "large-writes",
        summary: "a program writes 10 KiB into one of `accounts` 10-KiB accounts it owns; read-shared also reads 32 shared 1-KiB read-only accounts",
        knobs: "--variant write|read-shared",
        variants: &["write", "read-shared"],
        default_accounts: 10_000,
        min_accounts: 1,
    },
    WorkloadInfo {
        name: "sbpf-token-transfers",
        summary: "the mainnet p-token ELF (a real sBPF program) at Tokenkeg moves tokens between two token accounts of one mint (one per payer); the owner pays and signs",
        knobs: "--variant jit|interpreter",
        variants: &["jit", "interpreter"],
        default_accounts: 100_000,
        min_accounts: 2,
    },
];

/// Names of the workloads [`generate`] knows.
pub const WORKLOADS: &[&str] = &[
    "uniform-transfers",
    "zipf-transfers",
    "hot-account",
    "token-cpi",
    "cpi-chain",
    "large-writes",
    "sbpf-token-transfers",
];

/// What [`WORKLOAD_INFO`] says about `name`.
pub fn info(name: &str) -> Option<&'static WorkloadInfo> {
    WORKLOAD_INFO.iter().find(|w| w.name == name)
}

/// Check `name` and the knobs of `p` that it uses without generating
/// anything; [`generate`] makes the same checks.
pub fn validate(name: &str, p: &Params) -> Result<(), WorkloadError> {
    let info = info(name).ok_or_else(|| WorkloadError::UnknownWorkload(name.to_string()))?;
    variant(info, p)?;
    if p.blockhash_age >= MAX_RECENT_BLOCKHASHES {
        return Err(WorkloadError::InvalidParam(
            "--blockhash-age must be below 150: a blockhash 150 newer ones have followed is expired",
        ));
    }
    match name {
        "zipf-transfers" if !(p.skew.is_finite() && p.skew >= 0.0) => Err(
            WorkloadError::InvalidParam("--skew must be a finite number, 0 or more"),
        ),
        "hot-account" if p.hot == 0 => Err(WorkloadError::InvalidParam("--hot must be at least 1")),
        "cpi-chain" if !(0.0..=1.0).contains(&p.fail_rate) => Err(WorkloadError::InvalidParam(
            "--fail-rate must be between 0 and 1",
        )),
        _ => Ok(()),
    }
}

/// The variant of `p` for the workload, checked; its first by default.
fn variant(info: &WorkloadInfo, p: &Params) -> Result<&'static str, WorkloadError> {
    match &p.variant {
        None => Ok(info.variants.first().copied().unwrap_or("")),
        Some(v) => info
            .variants
            .iter()
            .copied()
            .find(|known| known == v)
            .ok_or_else(|| WorkloadError::UnknownVariant {
                workload: info.name.to_string(),
                variant: v.clone(),
                known: info.variants,
            }),
    }
}

/// Generate workload `name` with `p`.
pub fn generate(name: &str, p: &Params) -> Result<Workload, WorkloadError> {
    validate(name, p)?;
    let v = info(name).map(|i| variant(i, p)).transpose()?.unwrap_or("");
    let mut w = match name {
        "uniform-transfers" => uniform_transfers(p, v == "v0-alt"),
        "zipf-transfers" => zipf_transfers(p),
        "hot-account" => hot_account(p),
        "token-cpi" => token_cpi(
            p,
            match v {
                "hot-mint" => TokenCpiVariant::HotMint,
                "sbpf" => TokenCpiVariant::Sbpf,
                _ => TokenCpiVariant::Uniform,
            },
        )?,
        "cpi-chain" => cpi_chain(p),
        "large-writes" => large_writes(p, v == "read-shared"),
        "sbpf-token-transfers" => sbpf_token_transfers(p, v == "interpreter")?,
        _ => return Err(WorkloadError::UnknownWorkload(name.to_string())),
    };
    if w.blockhash_age > 0 {
        w.label = format!("{} blockhash-age={}", w.label, w.blockhash_age);
    }
    Ok(w)
}

/// The key of the `i`th generated account of kind `class` (each workload
/// numbers its kinds of accounts from 1; fee payers without signing use
/// class 0).
pub(crate) fn key(class: u64, i: usize) -> Pubkey {
    Pubkey::new_from_u64((class << 40) | i as u64)
}

/// A program id spelled by `name`, padded with dots to 32 bytes.
pub(crate) const fn program_id(name: &str) -> Pubkey {
    let bytes = name.as_bytes();
    let mut out = [b'.'; 32];
    let mut i = 0;
    while i < bytes.len() && i < 32 {
        out[i] = bytes[i];
        i += 1;
    }
    Pubkey::new_from_array(out)
}

/// Fee payers: `n` keys with their keypairs (derived from the index and
/// seed) when signing, bare counter keys otherwise.
pub(crate) fn signers(n: usize, p: &Params) -> (Vec<Pubkey>, Vec<Option<Keypair>>) {
    if p.sign {
        let kps: Vec<Keypair> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mut seed = [0u8; 32];
                seed[..8].copy_from_slice(&(i as u64).to_le_bytes());
                seed[8..16].copy_from_slice(&p.seed.to_le_bytes());
                Keypair::from_seed(&seed)
            })
            .collect();
        (
            kps.iter().map(Keypair::pubkey).collect(),
            kps.into_iter().map(Some).collect(),
        )
    } else {
        (
            (0..n).map(|i| key(0, i)).collect(),
            (0..n).map(|_| None).collect(),
        )
    }
}

/// `keys` as funded system accounts.
pub(crate) fn funded(keys: &[Pubkey]) -> impl Iterator<Item = (Pubkey, Account)> + '_ {
    keys.iter()
        .map(|k| (*k, Account::new(FUNDING, 0, &baton::ids::SYSTEM_PROGRAM)))
}

/// A rent-exempt account of `data` owned by `owner`.
pub(crate) fn owned(owner: &Pubkey, data: Vec<u8>) -> Account {
    Account {
        lamports: baton::Rent::default().minimum_balance(data.len()),
        data,
        owner: *owner,
        executable: false,
        rent_epoch: 0,
    }
}

/// The generator of transaction `i`'s own randomness (its signature when
/// not signing), independent of the order transactions are built in.
pub(crate) fn tx_rng(p: &Params, i: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(p.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Build one transaction paid by `payer`: signed for real when a keypair is
/// given, otherwise with a unique pseudo-random signature.
pub(crate) fn build_tx(
    ixs: &[Instruction],
    payer: &Pubkey,
    kp: Option<&Keypair>,
    p: &Params,
    rng: &mut ChaCha8Rng,
) -> Transaction {
    let message = Message::new_with_blockhash(ixs, Some(payer), &p.blockhash);
    sign(message, kp, rng)
}

/// `message` signed for real by `kp` when given, otherwise with a unique
/// pseudo-random signature.
pub(crate) fn sign(message: Message, kp: Option<&Keypair>, rng: &mut ChaCha8Rng) -> Transaction {
    match kp {
        Some(kp) => {
            let sig = kp.sign(&message.serialize());
            Transaction {
                signatures: vec![sig],
                message,
            }
        }
        None => {
            let mut sig = [0u8; 64];
            rng.fill(&mut sig[..]);
            Transaction {
                signatures: vec![Signature(sig)],
                message,
            }
        }
    }
}

/// Build the transactions of `plan` in parallel: `make(i, item)` gives
/// transaction `i`'s instructions and its payer's index into `payers`.
pub(crate) fn build_all<T: Sync>(
    plan: &[T],
    payers: &[Pubkey],
    kps: &[Option<Keypair>],
    p: &Params,
    make: impl Fn(usize, &T) -> (Vec<Instruction>, usize) + Sync,
) -> Vec<Transaction> {
    plan.par_iter()
        .enumerate()
        .map(|(i, item)| {
            let (ixs, payer) = make(i, item);
            let mut rng = tx_rng(p, i);
            build_tx(&ixs, &payers[payer], kps[payer].as_ref(), p, &mut rng)
        })
        .collect()
}

/// Two distinct indices below `n` (n ≥ 2), uniformly.
pub(crate) fn distinct_pair(rng: &mut ChaCha8Rng, n: usize) -> (usize, usize) {
    let from = rng.gen_range(0..n);
    let mut to = rng.gen_range(0..n - 1);
    if to >= from {
        to += 1;
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn small() -> Params {
        Params {
            txs: 300,
            accounts: 40,
            ..Params::default()
        }
    }

    #[test]
    fn every_workload_is_deterministic_and_seeded() {
        for name in WORKLOADS {
            let p = small();
            let a = generate(name, &p).unwrap();
            let b = generate(name, &p).unwrap();
            assert_eq!(a.txs, b.txs, "{name}");
            assert_eq!(a.accounts, b.accounts, "{name}");
            assert_eq!(a.txs.len(), 300, "{name}");
            assert_eq!(a.name, *name);
            let other = generate(
                name,
                &Params {
                    seed: 8,
                    ..p.clone()
                },
            )
            .unwrap();
            assert_ne!(a.txs, other.txs, "{name}: the seed changes the batch");
        }
    }

    #[test]
    fn info_and_names_agree() {
        let names: Vec<_> = WORKLOAD_INFO.iter().map(|w| w.name).collect();
        assert_eq!(names, WORKLOADS);
    }

    #[test]
    fn bad_names_variants_and_knobs_are_refused() {
        let p = Params::default();
        assert!(matches!(
            generate("nope", &p),
            Err(WorkloadError::UnknownWorkload(_))
        ));
        let bad_variant = Params {
            variant: Some("hot-mint".into()),
            ..p.clone()
        };
        assert!(matches!(
            validate("large-writes", &bad_variant),
            Err(WorkloadError::UnknownVariant { .. })
        ));
        assert!(validate("token-cpi", &bad_variant).is_ok());
        assert!(validate(
            "hot-account",
            &Params {
                hot: 0,
                ..p.clone()
            }
        )
        .is_err());
        assert!(validate(
            "cpi-chain",
            &Params {
                fail_rate: 1.5,
                ..p.clone()
            }
        )
        .is_err());
        assert!(validate(
            "zipf-transfers",
            &Params {
                skew: -1.0,
                ..p.clone()
            }
        )
        .is_err());
        for name in WORKLOADS {
            let age = |blockhash_age| Params {
                blockhash_age,
                ..p.clone()
            };
            assert!(validate(name, &age(149)).is_ok(), "{name}");
            assert!(validate(name, &age(150)).is_err(), "{name}");
        }
    }

    /// With a blockhash age, the runtime holds that many newer blockhashes
    /// than the one the transactions name, which is still recent: they run
    /// as at age 0 (same results, same state), and one more blockhash
    /// expires it.
    #[test]
    fn aged_blockhashes_stay_recent_until_the_150th() {
        let young = generate("uniform-transfers", &small()).unwrap();
        let old = generate(
            "uniform-transfers",
            &Params {
                blockhash_age: 149,
                ..small()
            },
        )
        .unwrap();
        assert_eq!(old.txs, young.txs);
        assert_eq!(old.label, "uniform-transfers blockhash-age=149");
        let mut rt = old.runtime(2, false).unwrap();
        assert_ne!(rt.latest_blockhash(), Params::default().blockhash);
        let results = rt.execute_batch(&old.txs);
        assert!(results.iter().all(|r| r.status.is_ok()));
        let mut reference = young.runtime(1, false).unwrap();
        assert_eq!(reference.execute_batch(&young.txs), results);
        let mut rt = old.runtime(1, false).unwrap();
        rt.expire_blockhash();
        assert!(rt
            .execute_batch(&old.txs)
            .iter()
            .all(|r| r.status == Err(baton::TransactionError::BlockhashNotFound)));
    }

    /// A runtime on another's store runs a workload as a runtime of its
    /// own would (same results: its blockhashes and programs are the
    /// workload's), and what it writes is the other's state too.
    #[test]
    fn a_runtime_on_another_store_shares_its_state() {
        for name in WORKLOADS {
            for blockhash_age in [0, 149] {
                let w = generate(
                    name,
                    &Params {
                        blockhash_age,
                        ..small()
                    },
                )
                .unwrap();
                let mut reference = w.runtime(1, false).unwrap();
                let expected = reference.execute_batch(&w.txs);
                let first = w.runtime(1, false).unwrap();
                let mut second = w.runtime_on(Arc::clone(first.store()), 1, false).unwrap();
                assert_eq!(second.execute_batch(&w.txs), expected, "{name}");
                assert_eq!(first.state_hash(), reference.state_hash(), "{name}");
            }
        }
    }

    #[test]
    fn signed_workloads_verify() {
        for name in WORKLOADS {
            let p = Params {
                txs: 20,
                accounts: 8,
                sign: true,
                ..Params::default()
            };
            let w = generate(name, &p).unwrap();
            let mut rt = w.runtime(1, true).unwrap();
            let results = rt.execute_batch(&w.txs);
            // Signature failures are rejections with no fee.
            assert!(results.iter().all(|r| r.fee > 0), "{name}");
        }
    }
}
