//! The example programs through `process_instruction`: the vault's and the
//! swap's instruction encodings, the pool state and the curve, and a vault
//! check. End-to-end vault and swap flows are in `examples/tests/runtime/`;
//! the SDK they are written with is tested in `sdk/tests/sdk/`.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton_examples::swap::{self, curve, PoolState, SwapError, SwapInstruction, SwapProgram};
use baton_examples::vault::{self, Receipt, VaultInstruction, VaultProgram};
use baton_executor::{
    process_instruction, Environment, ExecutionConfig, InstructionOutcome, ProgramRegistry,
    SysvarCache,
};
use baton_programs::system::{self, SystemProgram};
use baton_programs::token::state::{Mint, TokenAccount};
use baton_programs::token::{self, TokenProgram};
use baton_types::{Account, Instruction, InstructionError, Pubkey};

// ---------------------------------------------------------------- fixture

const ALICE: Pubkey = Pubkey::new_from_array([10; 32]);
const MINT: Pubkey = Pubkey::new_from_array([1; 32]);
const MINT_AUTH: Pubkey = Pubkey::new_from_array([3; 32]);
const A: Pubkey = Pubkey::new_from_array([20; 32]);
const B: Pubkey = Pubkey::new_from_array([21; 32]);
const DECIMALS: u8 = 6;

struct Env {
    programs: ProgramRegistry,
    sysvars: SysvarCache,
    config: ExecutionConfig,
}

impl Env {
    fn new() -> Self {
        let mut programs = ProgramRegistry::new();
        programs.add(system::ID, Arc::new(SystemProgram));
        programs.add(token::ID, Arc::new(TokenProgram));
        programs.add(vault::ID, Arc::new(VaultProgram));
        programs.add(swap::ID, Arc::new(SwapProgram));
        Self {
            programs,
            sysvars: SysvarCache::default(),
            config: ExecutionConfig::default(),
        }
    }

    fn run(&self, accounts: &[(Pubkey, Account)], ix: &Instruction) -> InstructionOutcome {
        process_instruction(
            accounts,
            ix,
            200_000,
            Environment {
                programs: &self.programs,
                sysvars: &self.sysvars,
                config: &self.config,
            },
        )
    }

    fn rent(&self, len: usize) -> u64 {
        self.sysvars.rent.minimum_balance(len)
    }
}

fn sys(lamports: u64) -> Account {
    Account::new(lamports, 0, &system::ID)
}

fn mint_account(env: &Env) -> Account {
    let mint = Mint {
        mint_authority: Some(MINT_AUTH),
        supply: 1_000,
        decimals: DECIMALS,
        is_initialized: true,
        freeze_authority: None,
    };
    Account::with_data(env.rent(Mint::LEN), mint.to_bytes().to_vec(), &token::ID)
}

fn token_account(env: &Env, owner: &Pubkey, amount: u64) -> Account {
    let ta = TokenAccount::initialized(MINT, *owner, amount);
    Account::with_data(
        env.rent(TokenAccount::LEN),
        ta.to_bytes().to_vec(),
        &token::ID,
    )
}

fn assert_unchanged(out: &InstructionOutcome, accounts: &[(Pubkey, Account)]) {
    assert_eq!(
        out.accounts, accounts,
        "a failed instruction changes nothing"
    );
}

// ---------------------------------------------------------------- example encodings, state, curve

#[test]
fn vault_instructions_round_trip() {
    for ix in [
        VaultInstruction::Deposit(vault::Deposit { amount: 42 }),
        VaultInstruction::Withdraw(vault::Withdraw {
            amount: u64::MAX,
            bump: 254,
        }),
    ] {
        assert_eq!(VaultInstruction::unpack(&ix.pack()), Ok(ix));
    }
    assert_eq!(
        VaultInstruction::Deposit(vault::Deposit { amount: 1 }).pack(),
        vec![0, 1, 0, 0, 0, 0, 0, 0, 0]
    );
    for bad in [&[][..], &[2], &[0, 1], &[0; 10], &[1; 9], &[1; 11]] {
        assert_eq!(
            VaultInstruction::unpack(bad),
            Err(InstructionError::InvalidInstructionData)
        );
    }
    assert_eq!(
        Receipt::unpack(&Receipt { amount: 9 }.to_bytes()),
        Ok(Receipt { amount: 9 })
    );
    assert_eq!(
        Receipt::unpack(&[0; 7]),
        Err(InstructionError::InvalidAccountData)
    );
    assert_eq!(
        vault::ID.to_string(),
        "BatonVau1t111111111111111111111111111111111"
    );
}

#[test]
fn swap_instructions_and_pool_state_round_trip() {
    for ix in [
        SwapInstruction::Initialize(swap::Initialize { fee_bps: 30 }),
        SwapInstruction::Swap(swap::Swap {
            amount_in: 5,
            min_out: 7,
        }),
    ] {
        assert_eq!(SwapInstruction::unpack(&ix.pack()), Ok(ix));
    }
    assert_eq!(
        SwapInstruction::Initialize(swap::Initialize { fee_bps: 30 }).pack(),
        vec![0, 30, 0]
    );
    for bad in [&[][..], &[9], &[0, 1], &[0, 1, 2, 3], &[1; 16], &[1; 18]] {
        assert_eq!(
            SwapInstruction::unpack(bad),
            Err(InstructionError::InvalidInstructionData)
        );
    }
    let state = PoolState {
        mint_a: Pubkey::new_from_array([1; 32]),
        mint_b: Pubkey::new_from_array([2; 32]),
        vault_a: Pubkey::new_from_array([3; 32]),
        vault_b: Pubkey::new_from_array([4; 32]),
        fee_bps: 30,
        bump: 255,
        vault_a_bump: 254,
        vault_b_bump: 253,
    };
    assert_eq!(PoolState::unpack(&state.to_bytes()), Ok(state));
    assert_eq!(
        PoolState::unpack(&[0; PoolState::LEN]),
        Err(InstructionError::InvalidAccountData)
    );
    assert_eq!(
        swap::ID.to_string(),
        "BatonSwap1111111111111111111111111111111111"
    );
}

#[test]
fn curve_prices_exactly_and_never_shrinks_k() {
    // 10,000 in against 1,000,000 / 2,000,000 at 30 bps:
    // 99,700,000 · 2,000,000 / (10,000,000,000 + 99,700,000) = 19,743.16…
    assert_eq!(
        curve::amount_out(1_000_000, 2_000_000, 10_000, 30),
        Ok(19_743)
    );
    // No fee: 2,000,000 · 10,000 / 1,010,000 = 19,801.98…
    assert_eq!(
        curve::amount_out(1_000_000, 2_000_000, 10_000, 0),
        Ok(19_801)
    );
    assert_eq!(
        curve::amount_out(0, 2_000_000, 10, 30),
        Err(SwapError::InsufficientLiquidity.into())
    );
    assert_eq!(
        curve::amount_out(1_000_000, 10, 1, 30),
        Err(SwapError::ZeroAmount.into())
    );
    assert_eq!(
        curve::amount_out(1, 1, 1, 10_000),
        Err(SwapError::InvalidFee.into())
    );
    assert_eq!(
        curve::amount_out(1, u64::MAX, u64::MAX, 0),
        Err(InstructionError::ArithmeticOverflow)
    );
    // The output never reaches the reserve, and k never decreases.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..2_000 {
        let r_in = next() % 1_000_000_000_000 + 1;
        let r_out = next() % 1_000_000_000_000 + 1;
        let amount_in = next() % 1_000_000_000_000 + 1;
        let fee = (next() % 100) as u16;
        if let Ok(out) = curve::amount_out(r_in, r_out, amount_in, fee) {
            assert!(out < r_out);
            let k0 = u128::from(r_in) * u128::from(r_out);
            let k1 = u128::from(r_in + amount_in) * u128::from(r_out - out);
            assert!(k1 >= k0, "k shrank: {r_in} {r_out} {amount_in} {fee}");
        }
    }
}

#[test]
fn vault_rejects_a_fake_vault_token_account_on_deposit() {
    // A deposit into a token account of the user's own (not held by the
    // vault PDA) would credit a receipt for nothing: InvalidVault.
    let env = Env::new();
    let accounts = vec![
        (ALICE, sys(10_000_000)),
        (MINT, mint_account(&env)),
        (A, token_account(&env, &ALICE, 100)),
        (B, token_account(&env, &ALICE, 0)),
    ];
    let ix = vault::instruction::deposit(&ALICE, &MINT, &B, &A, 10);
    let out = env.run(&accounts, &ix);
    assert_eq!(out.result, Err(vault::VaultError::InvalidVault.into()));
    assert_unchanged(&out, &accounts);
}
