//! Shared helpers of the integration tests: the vendored ELFs, SPL token
//! account images, and running one instruction the way Mollusk does.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, OnceLock};

use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton_sbpf::{Mode, SbpfProgram};
use baton_types::{Account, Instruction, Pubkey};

pub const TOKEN_ELF: &[u8] = include_bytes!("../../elf/token.so");
pub const TOKEN_2022_ELF: &[u8] = include_bytes!("../../elf/token_2022.so");
pub const MEMO_ELF: &[u8] = include_bytes!("../../elf/memo.so");
pub const ATA_ELF: &[u8] = include_bytes!("../../elf/associated_token.so");

pub const TOKEN_ID: Pubkey = Pubkey::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
pub const TOKEN_2022_ID: Pubkey =
    Pubkey::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
pub const MEMO_ID: Pubkey = Pubkey::from_str_const("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

pub const MODES: [Mode; 2] = [Mode::Jit, Mode::Interpreter];

/// Each vendored program, loaded once per test binary (JIT-compiled; the
/// interpreter mode shares the executable).
pub fn program(elf: &'static [u8]) -> SbpfProgram {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(usize, SbpfProgram)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap();
    let key = elf.as_ptr() as usize;
    if let Some((_, p)) = c.iter().find(|(k, _)| *k == key) {
        return p.clone();
    }
    let p = SbpfProgram::load(elf).expect("vendored ELF loads");
    c.push((key, p.clone()));
    p
}

pub struct Harness {
    pub registry: ProgramRegistry,
    pub sysvars: SysvarCache,
    pub config: ExecutionConfig,
}

impl Harness {
    pub fn new(programs: &[(Pubkey, &'static [u8])], mode: Mode) -> Self {
        let mut registry = ProgramRegistry::new();
        for (id, elf) in programs {
            registry.add(*id, Arc::new(program(elf).with_mode(mode)));
        }
        Self {
            registry,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }

    pub fn env(&self) -> Environment<'_> {
        Environment {
            programs: &self.registry,
            sysvars: &self.sysvars,
            config: &self.config,
        }
    }

    pub fn run(
        &self,
        ix: &Instruction,
        accounts: &[(Pubkey, Account)],
        budget: u64,
    ) -> InstructionOutcome {
        process_instruction(accounts, ix, budget, self.env())
    }
}

pub fn key(n: u64) -> Pubkey {
    Pubkey::new_from_u64(n)
}

fn coption_key(k: Option<Pubkey>) -> [u8; 36] {
    let mut b = [0u8; 36];
    if let Some(k) = k {
        b[0] = 1;
        b[4..].copy_from_slice(k.as_array());
    }
    b
}

/// SPL Mint (82 bytes).
pub fn mint_data(authority: Option<Pubkey>, supply: u64, decimals: u8) -> Vec<u8> {
    let mut d = Vec::with_capacity(82);
    d.extend_from_slice(&coption_key(authority));
    d.extend_from_slice(&supply.to_le_bytes());
    d.push(decimals);
    d.push(1);
    d.extend_from_slice(&coption_key(None));
    assert_eq!(d.len(), 82);
    d
}

/// An initialized SPL token account (165 bytes).
pub fn token_account_data(mint: Pubkey, owner: Pubkey, amount: u64) -> Vec<u8> {
    let mut d = Vec::with_capacity(165);
    d.extend_from_slice(mint.as_array());
    d.extend_from_slice(owner.as_array());
    d.extend_from_slice(&amount.to_le_bytes());
    d.extend_from_slice(&coption_key(None));
    d.push(1); // Initialized
    d.extend_from_slice(&[0u8; 12]); // is_native: None
    d.extend_from_slice(&0u64.to_le_bytes());
    d.extend_from_slice(&coption_key(None));
    assert_eq!(d.len(), 165);
    d
}

pub fn token_amount(data: &[u8]) -> u64 {
    u64::from_le_bytes(data[64..72].try_into().unwrap())
}

pub fn owned(lamports: u64, data: Vec<u8>, owner: &Pubkey) -> Account {
    Account::with_data(lamports, data, owner)
}

/// Rent-exempt balances of Baton's default Rent.
pub const TOKEN_ACCOUNT_LAMPORTS: u64 = 2_039_280;
pub const MINT_LAMPORTS: u64 = 1_461_600;
