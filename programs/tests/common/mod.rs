//! Shared helpers of the system program's tests: an environment with the
//! system program registered, account makers and outcome checks.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use baton_executor::sysvar::{FeeCalculator, RecentBlockhashEntry, RecentBlockhashes};
use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton_programs::system::nonce::{self, Data, State, Versions};
use baton_programs::system::{self, SystemError, SystemProgram, DEFAULT_COMPUTE_UNITS};
use baton_types::{Account, Hash, Instruction, InstructionError, Pubkey};

/// Lamports per signature recorded with every test blockhash.
pub const LPS: u64 = 5_000;

/// The first test blockhash.
pub const BH1: Hash = Hash([11; 32]);
/// A later test blockhash.
pub const BH2: Hash = Hash([22; 32]);

/// Programs, sysvars and config for `process_instruction`.
pub struct Env {
    pub programs: ProgramRegistry,
    pub sysvars: SysvarCache,
    pub config: ExecutionConfig,
    pub budget: u64,
}

impl Env {
    /// The system program, newest blockhash [`BH1`].
    pub fn new() -> Self {
        let mut programs = ProgramRegistry::new();
        programs.add(system::ID, Arc::new(SystemProgram));
        let mut env = Self {
            programs,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
            budget: 200_000,
        };
        env.set_blockhashes(&[BH1]);
        env
    }

    /// Replace the RecentBlockhashes sysvar (newest first), each at [`LPS`].
    pub fn set_blockhashes(&mut self, hashes: &[Hash]) {
        self.sysvars.recent_blockhashes = RecentBlockhashes(
            hashes
                .iter()
                .map(|h| RecentBlockhashEntry {
                    blockhash: *h,
                    fee_calculator: FeeCalculator {
                        lamports_per_signature: LPS,
                    },
                })
                .collect(),
        );
    }

    /// The same with blockhash `h` newest.
    pub fn with_blockhash(mut self, h: Hash) -> Self {
        self.set_blockhashes(&[h]);
        self
    }

    /// Run `ix` over `accounts`.
    pub fn run(&self, accounts: &[(Pubkey, Account)], ix: &Instruction) -> InstructionOutcome {
        process_instruction(
            accounts,
            ix,
            self.budget,
            Environment {
                programs: &self.programs,
                sysvars: &self.sysvars,
                config: &self.config,
            },
        )
    }

    /// The rent-exempt minimum for `len` bytes.
    pub fn min_balance(&self, len: usize) -> u64 {
        self.sysvars.rent.minimum_balance(len)
    }
}

/// A test key.
pub fn key(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

/// A system account with `lamports` and no data.
pub fn sys(lamports: u64) -> Account {
    Account::new(lamports, 0, &system::ID)
}

/// `InstructionError::Custom` of a system error.
pub fn custom(e: SystemError) -> InstructionError {
    e.into()
}

/// The account `k` after the run.
pub fn acc(out: &InstructionOutcome, k: &Pubkey) -> Account {
    out.accounts
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, a)| a.clone())
        .unwrap()
}

/// Assert success at the system program's 150 units.
pub fn assert_ok(out: &InstructionOutcome) {
    assert_eq!(out.result, Ok(()), "logs: {:#?}", out.logs);
    assert_eq!(out.compute_units_consumed, DEFAULT_COMPUTE_UNITS);
}

/// Assert failure with `err` at 150 units, every account as given.
pub fn assert_err(out: &InstructionOutcome, accounts: &[(Pubkey, Account)], err: InstructionError) {
    assert_eq!(out.result, Err(err), "logs: {:#?}", out.logs);
    assert_eq!(out.compute_units_consumed, DEFAULT_COMPUTE_UNITS);
    assert_eq!(
        out.accounts, accounts,
        "a failed instruction changes nothing"
    );
}

/// Run, and assert failure with `err` (see [`assert_err`]); returns the logs.
pub fn expect_err(
    env: &Env,
    accounts: &[(Pubkey, Account)],
    ix: &Instruction,
    err: InstructionError,
) -> Vec<String> {
    let out = env.run(accounts, ix);
    assert_err(&out, accounts, err);
    out.logs
}

/// Whether some log line contains `needle`.
pub fn logged(logs: &[String], needle: &str) -> bool {
    logs.iter().any(|l| l.contains(needle))
}

/// `ix` with meta `i` given these flags.
pub fn with_meta(mut ix: Instruction, i: usize, signer: bool, writable: bool) -> Instruction {
    ix.accounts[i].is_signer = signer;
    ix.accounts[i].is_writable = writable;
    ix
}

/// `ix` with only its first `n` metas.
pub fn truncated(mut ix: Instruction, n: usize) -> Instruction {
    ix.accounts.truncate(n);
    ix
}

/// `ix` with meta `i` pointing at `k` instead.
pub fn with_key(mut ix: Instruction, i: usize, k: Pubkey) -> Instruction {
    ix.accounts[i].pubkey = k;
    ix
}

/// Initialized nonce data: `authority`, the durable nonce of `blockhash`.
pub fn nonce_data(authority: Pubkey, blockhash: Hash) -> Data {
    Data::new(
        authority,
        nonce::durable_nonce_from_blockhash(&blockhash),
        LPS,
    )
}

/// An 80-byte system-owned nonce account holding `versions`.
pub fn nonce_account(lamports: u64, versions: Versions) -> Account {
    let mut data = versions.to_bytes();
    data.resize(nonce::NONCE_STATE_SIZE, 0);
    Account::with_data(lamports, data, &system::ID)
}

/// An initialized current-version nonce account.
pub fn initialized(lamports: u64, authority: Pubkey, blockhash: Hash) -> Account {
    nonce_account(
        lamports,
        Versions::new(State::Initialized(nonce_data(authority, blockhash))),
    )
}

/// The nonce state of `a`.
pub fn state_of(a: &Account) -> Versions {
    Versions::from_account_data(&a.data).unwrap()
}

/// A key whose last 21 bytes are the PDA marker: an illegal seed owner.
pub fn pda_marker_owner() -> Pubkey {
    let mut b = [7u8; 32];
    b[11..].copy_from_slice(b"ProgramDerivedAddress");
    Pubkey(b)
}
