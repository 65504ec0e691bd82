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

use crate::fixture::{Case, Environment, InstructionRef, Meta, ProgramRef};
use crate::harness::{account_state, default_env, Harness, ENV_BLOCKHASH};

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
                instruction: InstructionRef {
                    program_id: SYSTEM.to_string(),
                    accounts: ix
                        .accounts
                        .iter()
                        .map(|m| Meta {
                            pubkey: m.pubkey.to_string(),
                            signer: m.is_signer,
                            writable: m.is_writable,
                        })
                        .collect(),
                    data: hex::encode(&ix.data),
                },
                accounts: accounts.iter().map(|(k, a)| account_state(k, a)).collect(),
                expected,
            };
        }
    }

    // -------------------------------------------------------- random values

    fn key(&mut self) -> Pubkey {
        Pubkey::new_from_array(self.rng.gen())
    }

    fn hash(&mut self) -> Hash {
        Hash::new_from_array(self.rng.gen())
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    fn rent_epoch(&mut self) -> u64 {
        if self.chance(0.5) {
            0
        } else {
            u64::MAX
        }
    }

    fn sys(&mut self, lamports: u64) -> Account {
        Account {
            lamports,
            data: Vec::new(),
            owner: SYSTEM,
            executable: false,
            rent_epoch: self.rent_epoch(),
        }
    }

    /// A balance.
    fn balance(&mut self) -> u64 {
        match self.rng.gen_range(0..10) {
            0 => 0,
            1 => self.rng.gen_range(1..1_000),
            2 => self.harnesses[ENV_MAIN].minimum_balance(0),
            3 => u64::MAX / 2,
            _ => self.rng.gen_range(1_000..20_000_000_000),
        }
    }

    /// An amount to move out of `balance`; tags the interesting ones.
    fn amount(&mut self, d: &mut Draft, balance: u64) -> u64 {
        match self.rng.gen_range(0..12) {
            0 => {
                d.tag("zero");
                0
            }
            1 => {
                d.tag("at-balance");
                balance
            }
            2 => {
                d.tag("past-balance");
                balance.saturating_add(1)
            }
            3 => {
                d.tag("u64-max");
                u64::MAX
            }
            4 => self.rng.gen_range(0..u64::MAX),
            _ => self.rng.gen_range(0..=balance),
        }
    }

    /// A space request; tags the limits.
    fn space(&mut self, d: &mut Draft) -> u64 {
        match self.rng.gen_range(0..20) {
            0 => 0,
            1 => 80,
            2 => 165,
            3 => {
                d.tag("space-10240");
                10_240
            }
            4 => {
                d.tag("space-max");
                MAX_DATA
            }
            5 => {
                d.tag("space-past-max");
                MAX_DATA + 1
            }
            6 => {
                d.tag("space-huge");
                *[1u64 << 32, u64::MAX, u64::MAX / 2]
                    .choose(&mut self.rng)
                    .unwrap_or(&0)
            }
            7..=9 => self.rng.gen_range(200..2_048),
            _ => self.rng.gen_range(1..=128),
        }
    }

    /// An owner for a new account; tags the PDA-marker one.
    fn owner(&mut self, d: &mut Draft) -> Pubkey {
        match self.rng.gen_range(0..20) {
            0 | 1 => SYSTEM,
            2 | 3 => {
                d.tag("pda-owner");
                let mut b: [u8; 32] = self.rng.gen();
                b[11..].copy_from_slice(PDA_MARKER);
                Pubkey::new_from_array(b)
            }
            4 => solana_sdk_ids::bpf_loader_upgradeable::ID,
            _ => self.key(),
        }
    }

    /// A seed's bytes; tags the ones that break a rule.
    fn seed(&mut self, d: &mut Draft) -> Vec<u8> {
        const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let len = match self.rng.gen_range(0..20) {
            0 => 0,
            1 | 2 => 32,
            3 => {
                d.tag("seed-33");
                33
            }
            4 => {
                d.tag("seed-long");
                self.rng.gen_range(34..200)
            }
            5 => {
                d.tag("seed-oversized");
                self.rng.gen_range(1_233..1_400)
            }
            _ => self.rng.gen_range(1..32),
        };
        let mut s: Vec<u8> = (0..len)
            .map(|_| *ALNUM.choose(&mut self.rng).unwrap_or(&b'a'))
            .collect();
        match self.rng.gen_range(0..20) {
            0 if len >= 2 => {
                // A two-byte character: 31 characters, 32 bytes, say.
                d.tag("seed-multibyte");
                let at = self.rng.gen_range(0..len - 1);
                s[at] = 0xc3;
                s[at + 1] = 0xa9;
            }
            1 if len >= 1 => {
                d.tag("seed-invalid-utf8");
                let at = self.rng.gen_range(0..len);
                s[at] = 0xff;
            }
            _ => {}
        }
        s
    }

    /// `create_with_seed(base, seed, owner)` where it exists, else a random key.
    fn derive(&mut self, base: &Pubkey, seed: &[u8], owner: &Pubkey) -> Pubkey {
        match std::str::from_utf8(seed)
            .ok()
            .and_then(|s| Pubkey::create_with_seed(base, s, owner).ok())
        {
            Some(k) => k,
            None => self.key(),
        }
    }

    /// The seed-derived address, or (sometimes) one that does not match.
    fn seeded_address(
        &mut self,
        d: &mut Draft,
        base: &Pubkey,
        seed: &[u8],
        owner: &Pubkey,
    ) -> Pubkey {
        if self.chance(0.08) {
            d.tag("address-mismatch");
            self.key()
        } else {
            self.derive(base, seed, owner)
        }
    }

    // ------------------------------------------------------------- nonces

    fn nonce_data(
        &mut self,
        d: &mut Draft,
        initialized: bool,
        legacy: bool,
        authority: Pubkey,
    ) -> Vec<u8> {
        let state = if initialized {
            let durable = if self.chance(0.2) {
                d.tag("nonce-not-expired");
                DurableNonce::from_blockhash(&ENV_BLOCKHASH)
            } else {
                DurableNonce::from_blockhash(&self.hash())
            };
            let lps = *[0u64, 5_000, 10_000].choose(&mut self.rng).unwrap_or(&0);
            NonceState::Initialized(NonceData::new(authority, durable, lps))
        } else {
            NonceState::Uninitialized
        };
        let versions = if legacy {
            d.tag("legacy");
            Versions::Legacy(Box::new(state))
        } else {
            Versions::Current(Box::new(state))
        };
        let mut data = bincode::serialize(&versions).unwrap_or_default();
        data.resize(NonceState::size(), 0);
        match self.rng.gen_range(0..25) {
            0 => {
                d.tag("nonce-data-short");
                let n = self.rng.gen_range(0..data.len());
                data.truncate(n);
            }
            1 => {
                d.tag("nonce-data-long");
                let n = self.rng.gen_range(1..48);
                data.resize(data.len() + n, 0);
            }
            2 => {
                d.tag("nonce-data-garbage");
                data = (0..NonceState::size()).map(|_| self.rng.gen()).collect();
            }
            3 => {
                d.tag("nonce-bad-tag");
                data[0] = self.rng.gen_range(2..=255);
            }
            _ => {}
        }
        data
    }

    /// A nonce account around the rent-exempt minimum of its data.
    fn nonce_account(&mut self, d: &mut Draft, data: Vec<u8>) -> Account {
        let min = self.harnesses[ENV_MAIN].minimum_balance(data.len());
        let lamports = match self.rng.gen_range(0..10) {
            0 => {
                d.tag("below-rent-minimum");
                self.rng.gen_range(0..min)
            }
            1 => min,
            _ => min + self.rng.gen_range(0..10_000_000),
        };
        let owner = if self.chance(0.06) {
            d.tag("nonce-foreign-owner");
            self.key()
        } else {
            SYSTEM
        };
        Account {
            lamports,
            data,
            owner,
            executable: false,
            rent_epoch: self.rent_epoch(),
        }
    }

    fn sysvar_metas(&mut self, d: &mut Draft, rbh: bool, rent: bool) {
        let env = d.env;
        if rbh {
            let (k, a) = self.harnesses[env].recent_blockhashes_account();
            d.add(k, a);
            d.meta(k, false, false);
        }
        if rent {
            let (k, a) = self.harnesses[env].rent_account();
            d.add(k, a);
            d.meta(k, false, false);
        }
    }

    fn nonce_env(&mut self, d: &mut Draft) {
        match self.rng.gen_range(0..12) {
            0 => {
                d.tag("no-recent-blockhashes");
                d.env = ENV_NO_BLOCKHASHES;
            }
            1 | 2 => d.env = ENV_LATER,
            _ => {}
        }
    }

    // ------------------------------------------------------------- builders

    fn build(&mut self, tag: u32) -> Draft {
        let mut d = Draft::new(KINDS[tag as usize]);
        if self.chance(0.1) {
            d.env = ENV_LATER;
        }
        match tag {
            0 => {
                let (from, to) = (self.key(), self.key());
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let to_lamports = if self.chance(0.1) {
                    d.tag("to-funded");
                    self.rng.gen_range(1..10_000)
                } else {
                    0
                };
                let to_acc = self.sys(to_lamports);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                let space = self.space(&mut d);
                let owner = self.owner(&mut d);
                d.data = Enc::tag(0).u64(lamports).u64(space).key(&owner).0;
                d.meta(from, true, true);
                d.meta(to, true, true);
            }
            1 => {
                let k = self.key();
                let b = self.balance();
                let acc = self.sys(b);
                d.add(k, acc);
                let owner = if self.chance(0.1) {
                    d.tag("same-owner");
                    SYSTEM
                } else {
                    self.owner(&mut d)
                };
                d.data = Enc::tag(1).key(&owner).0;
                d.meta(k, true, true);
            }
            2 => {
                let (from, to) = (self.key(), self.key());
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let tb = self.balance();
                let to_acc = self.sys(tb);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                d.data = Enc::tag(2).u64(lamports).0;
                d.meta(from, true, true);
                d.meta(to, false, true);
            }
            3 => {
                let from = self.key();
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let base = if self.chance(0.4) {
                    d.tag("base-is-from");
                    from
                } else {
                    let k = self.key();
                    let a = self.sys(0);
                    d.add(k, a);
                    k
                };
                let seed = self.seed(&mut d);
                let owner = self.owner(&mut d);
                let to = self.seeded_address(&mut d, &base, &seed, &owner);
                let to_acc = self.sys(0);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                let space = self.space(&mut d);
                d.data = Enc::tag(3)
                    .key(&base)
                    .str(&seed)
                    .u64(lamports)
                    .u64(space)
                    .key(&owner)
                    .0;
                d.meta(from, true, true);
                d.meta(to, false, true);
                if base != from {
                    d.meta(base, true, false);
                }
            }
            4 => {
                self.nonce_env(&mut d);
                let nonce = self.key();
                let authority_is_nonce = self.chance(0.3);
                let authority = if authority_is_nonce {
                    nonce
                } else {
                    self.key()
                };
                let init = !self.chance(0.12);
                if !init {
                    d.tag("uninitialized");
                }
                let legacy = self.chance(0.15);
                let data = self.nonce_data(&mut d, init, legacy, authority);
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                d.data = Enc::tag(4).0;
                d.meta(nonce, authority_is_nonce, true);
                self.sysvar_metas(&mut d, true, false);
                if !authority_is_nonce {
                    let a = self.sys(1_000_000);
                    d.add(authority, a);
                    d.meta(authority, true, false);
                }
            }
            5 => {
                self.nonce_env(&mut d);
                let nonce = self.key();
                let init = !self.chance(0.25);
                if !init {
                    d.tag("uninitialized");
                }
                let authority_is_nonce = !init || self.chance(0.3);
                let authority = if authority_is_nonce {
                    nonce
                } else {
                    self.key()
                };
                let legacy = self.chance(0.15);
                let data = self.nonce_data(&mut d, init, legacy, authority);
                let acc = self.nonce_account(&mut d, data);
                let bal = acc.lamports;
                let min = self.harnesses[ENV_MAIN].minimum_balance(acc.data.len());
                d.add(nonce, acc);
                let to = self.key();
                let tb = self.balance();
                let to_acc = self.sys(tb);
                d.add(to, to_acc);
                let lamports = match self.rng.gen_range(0..8) {
                    0 => {
                        d.tag("withdraw-all");
                        bal
                    }
                    1 => {
                        d.tag("leave-minimum");
                        bal.saturating_sub(min)
                    }
                    2 => {
                        d.tag("dip-below-minimum");
                        bal.saturating_sub(min).saturating_add(1)
                    }
                    3 => {
                        d.tag("past-balance");
                        bal.saturating_add(1)
                    }
                    4 => {
                        d.tag("u64-max");
                        u64::MAX
                    }
                    // Within what the rules allow: all of an uninitialized
                    // account, above the minimum of an initialized one.
                    _ => self
                        .rng
                        .gen_range(0..=bal.saturating_sub(if init { min } else { 0 })),
                };
                d.data = Enc::tag(5).u64(lamports).0;
                d.meta(nonce, authority_is_nonce, true);
                d.meta(to, false, true);
                self.sysvar_metas(&mut d, true, true);
                if !authority_is_nonce {
                    let a = self.sys(1_000_000);
                    d.add(authority, a);
                    d.meta(authority, true, false);
                }
            }
            6 => {
                self.nonce_env(&mut d);
                let nonce = self.key();
                let init = self.chance(0.12);
                if init {
                    d.tag("initialized");
                }
                let legacy = self.chance(0.4);
                let auth = self.key();
                let mut data = self.nonce_data(&mut d, init, legacy, auth);
                if !init && self.chance(0.3) {
                    d.tag("zeroed");
                    data = vec![0; data.len()];
                }
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                let authority = self.key();
                d.data = Enc::tag(6).key(&authority).0;
                d.meta(nonce, self.chance(0.3), true);
                self.sysvar_metas(&mut d, true, true);
            }
            7 => {
                let nonce = self.key();
                let authority_is_nonce = self.chance(0.3);
                let authority = if authority_is_nonce {
                    nonce
                } else {
                    self.key()
                };
                let init = !self.chance(0.12);
                if !init {
                    d.tag("uninitialized");
                }
                let legacy = self.chance(0.2);
                let data = self.nonce_data(&mut d, init, legacy, authority);
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                let new_authority = if self.chance(0.1) {
                    authority
                } else {
                    self.key()
                };
                d.data = Enc::tag(7).key(&new_authority).0;
                d.meta(nonce, authority_is_nonce, true);
                if !authority_is_nonce {
                    let a = self.sys(1_000_000);
                    d.add(authority, a);
                    d.meta(authority, true, false);
                }
            }
            8 => {
                let k = self.key();
                let b = self.balance();
                let acc = self.sys(b);
                d.add(k, acc);
                let space = self.space(&mut d);
                d.data = Enc::tag(8).u64(space).0;
                d.meta(k, true, true);
            }
            9 | 10 => {
                let base = self.key();
                let base_acc = self.sys(1_000_000);
                d.add(base, base_acc);
                let seed = self.seed(&mut d);
                let owner = self.owner(&mut d);
                let addr = self.seeded_address(&mut d, &base, &seed, &owner);
                let b = self.balance();
                let acc = self.sys(b);
                d.add(addr, acc);
                d.data = if tag == 9 {
                    let space = self.space(&mut d);
                    Enc::tag(9).key(&base).str(&seed).u64(space).key(&owner).0
                } else {
                    Enc::tag(10).key(&base).str(&seed).key(&owner).0
                };
                d.meta(addr, false, true);
                d.meta(base, true, false);
            }
            11 => {
                let base = self.key();
                let base_acc = self.sys(1_000_000);
                d.add(base, base_acc);
                let seed = self.seed(&mut d);
                let from_owner = match self.rng.gen_range(0..10) {
                    0..=5 => SYSTEM,
                    _ => self.owner(&mut d),
                };
                let from = self.seeded_address(&mut d, &base, &seed, &from_owner);
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let to = self.key();
                let tb = self.balance();
                let to_acc = self.sys(tb);
                d.add(to, to_acc);
                let lamports = self.amount(&mut d, b);
                d.data = Enc::tag(11).u64(lamports).str(&seed).key(&from_owner).0;
                d.meta(from, false, true);
                d.meta(base, true, false);
                d.meta(to, false, true);
            }
            12 => {
                let nonce = self.key();
                let init = !self.chance(0.2);
                if !init {
                    d.tag("uninitialized");
                }
                let legacy = !self.chance(0.2);
                let auth = self.key();
                let data = self.nonce_data(&mut d, init, legacy, auth);
                let acc = self.nonce_account(&mut d, data);
                d.add(nonce, acc);
                d.data = Enc::tag(12).0;
                d.meta(nonce, self.chance(0.3), true);
            }
            _ => {
                let to = self.key();
                let prefund = if self.chance(0.5) {
                    d.tag("prefunded");
                    self.rng.gen_range(1..5_000_000)
                } else {
                    0
                };
                let to_acc = self.sys(prefund);
                d.add(to, to_acc);
                let from = self.key();
                let b = self.balance();
                let from_acc = self.sys(b);
                d.add(from, from_acc);
                let lamports = if self.chance(0.3) {
                    d.tag("no-transfer");
                    0
                } else {
                    self.amount(&mut d, b)
                };
                let space = self.space(&mut d);
                let owner = self.owner(&mut d);
                d.data = Enc::tag(13).u64(lamports).u64(space).key(&owner).0;
                d.meta(to, true, true);
                if lamports > 0 || self.chance(0.3) {
                    d.meta(from, true, true);
                }
            }
        }
        d
    }

    /// Undecodable or unknown instruction data over a few system accounts.
    fn invalid(&mut self) -> Draft {
        let mut d = Draft::new("Invalid");
        for _ in 0..self.rng.gen_range(0..4) {
            let k = self.key();
            let b = self.balance();
            let a = self.sys(b);
            d.add(k, a);
            let (s, w) = (self.chance(0.7), self.chance(0.7));
            d.meta(k, s, w);
        }
        d.data = match self.rng.gen_range(0..8) {
            0 => {
                d.tag("empty");
                Vec::new()
            }
            1 => {
                d.tag("short-tag");
                let n = self.rng.gen_range(1..4);
                (0..n).map(|_| self.rng.gen_range(0..14)).collect()
            }
            2 => {
                d.tag("unknown-tag");
                let t = if self.chance(0.2) {
                    u32::MAX
                } else {
                    self.rng.gen_range(14..1_000)
                };
                let n = self.rng.gen_range(0..64);
                let mut v = t.to_le_bytes().to_vec();
                v.extend((0..n).map(|_| self.rng.gen::<u8>()));
                v
            }
            3 => {
                d.tag("huge-string-length");
                let t = *[3u32, 9, 10, 11].choose(&mut self.rng).unwrap_or(&3);
                let mut v = Enc::tag(t).0;
                if t != 11 {
                    v.extend_from_slice(&[7; 32]);
                } else {
                    v.extend_from_slice(&5u64.to_le_bytes());
                }
                let len = *[1u64 << 20, 1 << 40, u64::MAX, 1_233]
                    .choose(&mut self.rng)
                    .unwrap_or(&0);
                v.extend_from_slice(&len.to_le_bytes());
                v.extend((0..self.rng.gen_range(0..40)).map(|_| b'a'));
                v
            }
            4 => {
                d.tag("truncated");
                let t = self.rng.gen_range(0..14u32);
                let full = self.build(t).data;
                let n = self.rng.gen_range(0..full.len().max(1));
                full[..n.min(full.len())].to_vec()
            }
            5 => {
                d.tag("random-bytes");
                let n = self.rng.gen_range(1..120);
                (0..n).map(|_| self.rng.gen()).collect()
            }
            6 => {
                d.tag("oversized-random");
                let n = self.rng.gen_range(1_233..1_600);
                let mut v: Vec<u8> = (0..n).map(|_| self.rng.gen()).collect();
                v[..4].copy_from_slice(&self.rng.gen_range(14u32..u32::MAX).to_le_bytes());
                v
            }
            _ => {
                d.tag("string-past-end");
                // A seed string with a length prefix past the data's end.
                let mut v = Enc::tag(10).key(&[9; 32].into()).0;
                v.extend_from_slice(&40u64.to_le_bytes());
                v.extend_from_slice(b"short");
                v
            }
        };
        d
    }

    // ------------------------------------------------------------ mutations

    fn mutate(&mut self, d: &mut Draft) {
        let n = match self.rng.gen_range(0..100) {
            0..=29 => 0,
            30..=74 => 1,
            75..=94 => 2,
            _ => 3,
        };
        for _ in 0..n {
            self.mutate_once(d);
        }
    }

    fn mutate_once(&mut self, d: &mut Draft) {
        let len = d.metas.len();
        match self.rng.gen_range(0..19) {
            0 | 1 => {
                let signers: Vec<usize> = (0..len).filter(|i| d.metas[*i].is_signer).collect();
                if let Some(&i) = signers.choose(&mut self.rng) {
                    d.metas[i].is_signer = false;
                    d.tag(format!("unsigned-{i}"));
                }
            }
            2 => {
                let w: Vec<usize> = (0..len).filter(|i| d.metas[*i].is_writable).collect();
                if let Some(&i) = w.choose(&mut self.rng) {
                    d.metas[i].is_writable = false;
                    d.tag(format!("readonly-{i}"));
                }
            }
            3 | 4 => {
                if len > 0 {
                    let k = self.rng.gen_range(0..len);
                    d.metas.truncate(k);
                    d.tag(format!("too-few-{k}"));
                }
            }
            5 => {
                let k = self.key();
                let b = self.balance();
                let a = self.sys(b);
                d.add(k, a);
                let (s, w) = (self.chance(0.5), self.chance(0.5));
                d.meta(k, s, w);
                d.tag("extra-meta");
            }
            6 | 7 => {
                if len >= 2 {
                    let i = self.rng.gen_range(0..len);
                    let mut j = self.rng.gen_range(0..len - 1);
                    if j >= i {
                        j += 1;
                    }
                    d.metas[j].pubkey = d.metas[i].pubkey;
                    if self.chance(0.5) {
                        d.metas[j].is_signer = !d.metas[j].is_signer;
                    }
                    if self.chance(0.5) {
                        d.metas[j].is_writable = !d.metas[j].is_writable;
                    }
                    d.tag(format!("dup-{j}-of-{i}"));
                }
            }
            8 => {
                if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.owner = self.key();
                    d.tag("foreign-owner");
                }
            }
            9 => {
                if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.executable = true;
                    d.tag("executable");
                }
            }
            10 => {
                if let Some(i) = self.pick_account(d) {
                    let n = self.rng.gen_range(1..64);
                    if self.chance(0.3) {
                        d.pool[i].1.data = vec![0; n];
                        d.tag("zero-data");
                    } else {
                        d.pool[i].1.data = (0..n).map(|_| self.rng.gen()).collect();
                        d.tag("has-data");
                    }
                }
            }
            11 => {
                if !d.data.is_empty() {
                    let n = self.rng.gen_range(0..d.data.len());
                    d.data.truncate(n);
                    d.tag("data-truncated");
                }
            }
            12 => {
                let n = self.rng.gen_range(1..32);
                d.data.extend((0..n).map(|_| self.rng.gen::<u8>()));
                d.tag("data-trailing");
            }
            13 => {
                let target = self.rng.gen_range(1_233..1_500);
                while d.data.len() < target {
                    d.data.push(self.rng.gen());
                }
                d.tag("data-oversized-trailing");
            }
            14 => {
                if !d.data.is_empty() {
                    let i = self.rng.gen_range(0..d.data.len());
                    d.data[i] ^= self.rng.gen_range(1..=255u8);
                    d.tag("data-flipped");
                }
            }
            15 => {
                // The invoked program among its own accounts: Agave demotes
                // it to read-only whatever the meta says. Given as it is on
                // chain, so that no harness stub differs.
                d.add(SYSTEM, system_program_account());
                let w = self.chance(0.5);
                if len > 0 && self.chance(0.5) {
                    let i = self.rng.gen_range(0..len);
                    d.metas[i].pubkey = SYSTEM;
                    d.metas[i].is_writable |= w;
                    d.tag(format!("program-as-account-{i}"));
                } else {
                    d.meta(SYSTEM, false, w);
                    d.tag(if w {
                        "program-meta-writable"
                    } else {
                        "program-meta"
                    });
                }
            }
            16 => {
                if self.chance(0.5) {
                    let e = *ENV_BUDGETS.choose(&mut self.rng).unwrap_or(&ENV_MAIN);
                    d.env = e;
                    d.tag(format!("budget-env-{e}"));
                } else if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.lamports = u64::MAX - self.rng.gen_range(0..10);
                    d.tag("lamports-near-max");
                }
            }
            17 => {
                let sys: Vec<usize> = (0..len)
                    .filter(|i| [RECENT_BLOCKHASHES, RENT].contains(&d.metas[*i].pubkey))
                    .collect();
                if let Some(&i) = sys.choose(&mut self.rng) {
                    if self.chance(0.5) {
                        let (k, a) = self.harnesses[d.env].clock_account();
                        d.add(k, a);
                        d.metas[i].pubkey = k;
                        d.tag(format!("wrong-sysvar-{i}"));
                    } else if self.chance(0.5) {
                        let k = self.key();
                        let a = self.sys(1);
                        d.add(k, a);
                        d.metas[i].pubkey = k;
                        d.tag(format!("not-a-sysvar-{i}"));
                    } else {
                        d.metas[i].is_writable = true;
                        d.tag(format!("writable-sysvar-{i}"));
                    }
                } else if len > 0 {
                    let i = self.rng.gen_range(0..len);
                    d.metas[i].is_signer = true;
                    d.tag(format!("signed-{i}"));
                }
            }
            _ => {
                if let Some(i) = self.pick_account(d) {
                    d.pool[i].1.rent_epoch = self.rng.gen();
                    d.tag("rent-epoch");
                }
            }
        }
    }

    /// A pool account a meta names, not a sysvar.
    fn pick_account(&mut self, d: &Draft) -> Option<usize> {
        let idx: Vec<usize> = (0..d.pool.len())
            .filter(|i| {
                let k = d.pool[*i].0;
                k != RECENT_BLOCKHASHES
                    && k != SYSTEM
                    && k != RENT
                    && k != CLOCK
                    && d.metas.iter().any(|m| m.pubkey == k)
            })
            .collect();
        idx.choose(&mut self.rng).copied()
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
