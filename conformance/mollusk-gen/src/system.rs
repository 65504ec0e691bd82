//! Seeded random system-program instructions: every instruction kind, built
//! valid and then varied (signers dropped, metas made read-only, too few
//! accounts, duplicates with mixed flags, foreign owners, executable
//! accounts, data on system accounts, truncated, trailing, oversized and
//! corrupted instruction data, wrong sysvars, tight compute budgets), and
//! undecodable data of every shape.

#![allow(deprecated)] // Nonce and RecentBlockhashes types are deprecated in the SDK.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use solana_account::Account;
use solana_hash::Hash;
use solana_instruction::{AccountMeta, Instruction};
use solana_nonce::state::{Data as NonceData, DurableNonce, State as NonceState};
use solana_nonce::versions::Versions;
use solana_pubkey::Pubkey;
use solana_system_interface::instruction::SystemInstruction;

use crate::fixture::{Case, Environment, ProgramRef};
use crate::harness::{account_state, default_env, instruction_ref, Harness, ENV_BLOCKHASH};

mod build;
mod mutate;
mod values;

/// The system program.
pub const SYSTEM: Pubkey = solana_sdk_ids::system_program::ID;
const RECENT_BLOCKHASHES: Pubkey = solana_sdk_ids::sysvar::recent_blockhashes::ID;
const RENT: Pubkey = solana_sdk_ids::sysvar::rent::ID;
const CLOCK: Pubkey = solana_sdk_ids::sysvar::clock::ID;
const MAX_DATA: u64 = 10 * 1024 * 1024;
const PDA_MARKER: &[u8; 21] = b"ProgramDerivedAddress";

/// The instruction kinds, in discriminant order.
pub const KINDS: [&str; 14] = [
    "CreateAccount",
    "Assign",
    "Transfer",
    "CreateAccountWithSeed",
    "AdvanceNonceAccount",
    "WithdrawNonceAccount",
    "InitializeNonceAccount",
    "AuthorizeNonceAccount",
    "Allocate",
    "AllocateWithSeed",
    "AssignWithSeed",
    "TransferWithSeed",
    "UpgradeNonceAccount",
    "CreateAccountAllowPrefund",
];

/// Environment indices (see [`environments`]).
const ENV_MAIN: usize = 0;
const ENV_NO_BLOCKHASHES: usize = 1;
const ENV_BUDGETS: [usize; 3] = [2, 3, 4];
const ENV_LATER: usize = 5;

/// The environments of the suite.
pub fn environments() -> Vec<Environment> {
    let h = |b: u8| Hash::new_from_array([b; 32]);
    let main = [(ENV_BLOCKHASH, 5_000), (h(1), 5_000), (h(2), 5_000)];
    let default_limit = mollusk_svm::Mollusk::default()
        .compute_budget
        .compute_unit_limit;
    let mut later = default_env(&[(ENV_BLOCKHASH, 5_000)], default_limit, 1_000);
    later.clock.epoch = 2;
    later.clock.leader_schedule_epoch = 3;
    later.clock.epoch_start_timestamp = 1_700_000_000;
    later.clock.unix_timestamp = 1_700_000_400;
    vec![
        default_env(&main, default_limit, 0),
        default_env(&[], default_limit, 0),
        default_env(&main, 150, 0),
        default_env(&main, 149, 0),
        default_env(&main, 0, 0),
        later,
    ]
}

/// The program table of the suite.
pub fn programs() -> Vec<ProgramRef> {
    vec![ProgramRef {
        id: SYSTEM.to_string(),
        kind: "builtin".into(),
        name: "system".into(),
        loader: None,
        elf: None,
        elf_sha256: None,
    }]
}

/// A case under construction.
struct Draft {
    kind: &'static str,
    tags: Vec<String>,
    env: usize,
    metas: Vec<AccountMeta>,
    data: Vec<u8>,
    pool: Vec<(Pubkey, Account)>,
}

impl Draft {
    fn new(kind: &'static str) -> Self {
        Self {
            kind,
            tags: Vec::new(),
            env: ENV_MAIN,
            metas: Vec::new(),
            data: Vec::new(),
            pool: Vec::new(),
        }
    }

    fn tag(&mut self, t: impl Into<String>) {
        self.tags.push(t.into());
    }

    fn add(&mut self, key: Pubkey, account: Account) {
        match self.pool.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = account,
            None => self.pool.push((key, account)),
        }
    }

    fn meta(&mut self, key: Pubkey, signer: bool, writable: bool) {
        self.metas.push(AccountMeta {
            pubkey: key,
            is_signer: signer,
            is_writable: writable,
        });
    }

    /// The accounts given: every pool account a meta names, pool order.
    fn accounts(&self) -> Vec<(Pubkey, Account)> {
        self.pool
            .iter()
            .filter(|(k, _)| self.metas.iter().any(|m| m.pubkey == *k))
            .cloned()
            .collect()
    }
}

// ------------------------------------------------------------ data encoding

struct Enc(Vec<u8>);

impl Enc {
    fn tag(t: u32) -> Self {
        Self(t.to_le_bytes().to_vec())
    }
    fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn key(mut self, k: &Pubkey) -> Self {
        self.0.extend_from_slice(k.as_ref());
        self
    }
    fn str(mut self, s: &[u8]) -> Self {
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s);
        self
    }
}

/// The generator.
pub struct SystemGen {
    rng: ChaCha8Rng,
    harnesses: Vec<Harness>,
    /// Cases Mollusk could not run (it panicked), regenerated.
    pub dropped: usize,
}

impl SystemGen {
    /// A generator over `envs` (from [`environments`]).
    pub fn new(rng: ChaCha8Rng, envs: &[Environment]) -> Self {
        Self {
            rng,
            harnesses: envs.iter().map(Harness::new).collect(),
            dropped: 0,
        }
    }

    /// `per_kind` cases of every kind and `invalid` undecodable ones.
    pub fn generate(&mut self, per_kind: usize, invalid: usize) -> Vec<Case> {
        self_check();
        let mut cases = Vec::new();
        for (tag, kind) in KINDS.iter().enumerate() {
            for i in 0..per_kind {
                cases.push(self.one(kind, i, |g| g.build(tag as u32)));
            }
        }
        for i in 0..invalid {
            cases.push(self.one("Invalid", i, |g| g.invalid()));
        }
        cases
    }

    fn one(&mut self, kind: &str, i: usize, build: impl Fn(&mut Self) -> Draft) -> Case {
        loop {
            let mut d = build(self);
            if d.kind != "Invalid" {
                self.mutate(&mut d);
            }
            let accounts = d.accounts();
            let ix = Instruction {
                program_id: SYSTEM,
                accounts: d.metas.clone(),
                data: d.data.clone(),
            };
            let Some(expected) = self.harnesses[d.env].run(&ix, &accounts) else {
                self.dropped += 1;
                continue;
            };
            let suffix = if d.tags.is_empty() {
                String::new()
            } else {
                format!("/{}", d.tags.join("+"))
            };
            return Case {
                name: format!("{kind}/{i:04}{suffix}"),
                kind: kind.to_string(),
                env: d.env,
                instruction: instruction_ref(&SYSTEM, &ix),
                accounts: accounts.iter().map(|(k, a)| account_state(k, a)).collect(),
                expected,
            };
        }
    }
}

/// The system program's account as on chain.
fn system_program_account() -> Account {
    Account {
        lamports: 1,
        data: b"system_program".to_vec(),
        owner: solana_sdk_ids::native_loader::ID,
        executable: true,
        rent_epoch: 0,
    }
}

/// The hand encoding equals bincode of the interface's enum.
fn self_check() {
    let k = Pubkey::new_from_array([3; 32]);
    let pairs: Vec<(Vec<u8>, SystemInstruction)> = vec![
        (
            Enc::tag(0).u64(5).u64(6).key(&k).0,
            SystemInstruction::CreateAccount {
                lamports: 5,
                space: 6,
                owner: k,
            },
        ),
        (
            Enc::tag(3).key(&k).str(b"ab").u64(1).u64(2).key(&k).0,
            SystemInstruction::CreateAccountWithSeed {
                base: k,
                seed: "ab".into(),
                lamports: 1,
                space: 2,
                owner: k,
            },
        ),
        (
            Enc::tag(5).u64(9).0,
            SystemInstruction::WithdrawNonceAccount(9),
        ),
        (
            Enc::tag(9).key(&k).str(b"x").u64(4).key(&k).0,
            SystemInstruction::AllocateWithSeed {
                base: k,
                seed: "x".into(),
                space: 4,
                owner: k,
            },
        ),
        (
            Enc::tag(10).key(&k).str(b"").key(&k).0,
            SystemInstruction::AssignWithSeed {
                base: k,
                seed: "".into(),
                owner: k,
            },
        ),
        (
            Enc::tag(11).u64(7).str(b"s").key(&k).0,
            SystemInstruction::TransferWithSeed {
                lamports: 7,
                from_seed: "s".into(),
                from_owner: k,
            },
        ),
        (Enc::tag(12).0, SystemInstruction::UpgradeNonceAccount),
        (
            Enc::tag(13).u64(1).u64(2).key(&k).0,
            SystemInstruction::CreateAccountAllowPrefund {
                lamports: 1,
                space: 2,
                owner: k,
            },
        ),
    ];
    for (mine, theirs) in pairs {
        let want = bincode::serialize(&theirs).unwrap_or_default();
        assert_eq!(mine, want, "encoding of {theirs:?}");
    }
}
