//! The example programs end to end: signed transactions through the
//! `Runtime` with the token program, the PDA vault and the swap pool
//! registered. Deposits and withdrawals (a withdrawal works only with the
//! vault PDA's own seeds), pool creation, swaps with exact outputs, failed
//! swaps that cost only the fee, wrong pools, vaults and mints, and the
//! pool invariant over a batch.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use baton::{
    Account, Instruction, InstructionError, Keypair, Pubkey, Runtime, Transaction, TransactionError,
};
use baton_examples::swap::{self, curve, PoolState, SwapError, SwapProgram};
use baton_examples::vault::{self, Receipt, VaultError, VaultProgram};
use baton_programs::token::instruction as tok;
use baton_programs::token::state::{AccountState, Mint, TokenAccount};
use baton_programs::token::{self, TokenError, TokenProgram};
use baton_types::pda;

const FEE: u64 = 5_000;
const SOL: u64 = 1_000_000_000;

fn kp(n: u8) -> Keypair {
    Keypair::from_seed(&[n; 32])
}

fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

fn runtime() -> Runtime {
    Runtime::new()
        .with_threads(2)
        .with_program(token::ID, Arc::new(TokenProgram))
        .with_program(vault::ID, Arc::new(VaultProgram))
        .with_program(swap::ID, Arc::new(SwapProgram))
}

fn rent(rt: &Runtime, len: usize) -> u64 {
    rt.sysvars().rent.minimum_balance(len)
}

/// An initialized mint with `authority`, 6 decimals.
fn set_mint(rt: &mut Runtime, mint: Pubkey, authority: &Pubkey) {
    let state = Mint {
        mint_authority: Some(*authority),
        supply: 0,
        decimals: 6,
        is_initialized: true,
        freeze_authority: None,
    };
    let lamports = rent(rt, Mint::LEN);
    rt.set_account(
        mint,
        Account::with_data(lamports, state.to_bytes().to_vec(), &token::ID),
    )
    .unwrap();
}

/// A token account of `mint` held by `owner` with `amount` (the mint's
/// supply is not adjusted: the tests read balances only).
fn set_token(rt: &mut Runtime, account: Pubkey, mint: Pubkey, owner: &Pubkey, amount: u64) {
    let state = TokenAccount {
        mint,
        owner: *owner,
        amount,
        state: AccountState::Initialized,
        ..TokenAccount::default()
    };
    let lamports = rent(rt, TokenAccount::LEN);
    rt.set_account(
        account,
        Account::with_data(lamports, state.to_bytes().to_vec(), &token::ID),
    )
    .unwrap();
}

fn tokens(rt: &Runtime, account: &Pubkey) -> u64 {
    TokenAccount::unpack(&rt.account(account).unwrap().data)
        .unwrap()
        .amount
}

fn send(rt: &mut Runtime, ixs: &[Instruction], payer: &Keypair) -> baton::TransactionResult {
    let tx = Transaction::new_signed_with_payer(
        ixs,
        Some(&payer.pubkey()),
        &[payer],
        rt.latest_blockhash(),
    )
    .unwrap();
    rt.send_transaction(tx)
}

fn failed_with(r: &baton::TransactionResult, err: InstructionError) {
    assert_eq!(
        r.status,
        Err(TransactionError::InstructionError(0, err)),
        "{:#?}",
        r.logs
    );
    assert_eq!(r.fee, FEE, "a failed transaction is charged its fee");
}

// ---------------------------------------------------------------- vault

const MINT_A: u8 = 1;
const MINT_B: u8 = 2;
const VAULT_A: u8 = 40;
const VAULT_B: u8 = 41;
const ALICE_A: u8 = 50;
const MALLORY_A: u8 = 60;
const MALLORY_B: u8 = 61;

/// Mints A and B, their vault token accounts (held by the vault PDAs),
/// Alice with 1,000 A, Mallory with 100 A and 1,000 B.
fn vault_world() -> (Runtime, Keypair, Keypair) {
    let mut rt = runtime();
    let (alice, mallory) = (kp(1), kp(2));
    rt.airdrop(&alice.pubkey(), SOL).unwrap();
    rt.airdrop(&mallory.pubkey(), SOL).unwrap();
    let authority = key(99);
    for (mint, vault_token) in [(MINT_A, VAULT_A), (MINT_B, VAULT_B)] {
        set_mint(&mut rt, key(mint), &authority);
        let (pda, _) = vault::vault_authority(&key(mint));
        set_token(&mut rt, key(vault_token), key(mint), &pda, 0);
    }
    set_token(&mut rt, key(ALICE_A), key(MINT_A), &alice.pubkey(), 1_000);
    set_token(&mut rt, key(MALLORY_A), key(MINT_A), &mallory.pubkey(), 100);
    set_token(
        &mut rt,
        key(MALLORY_B),
        key(MINT_B),
        &mallory.pubkey(),
        1_000,
    );
    (rt, alice, mallory)
}

fn deposit(rt: &mut Runtime, user: &Keypair, mint: u8, vault_token: u8, from: u8, amount: u64) {
    let ix = vault::instruction::deposit(
        &user.pubkey(),
        &key(mint),
        &key(vault_token),
        &key(from),
        amount,
    );
    let r = send(rt, &[ix], user);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
}

fn receipt(rt: &Runtime, mint: u8, user: &Keypair) -> u64 {
    let (address, _) = vault::receipt_address(&key(mint), &user.pubkey());
    let account = rt.account(&address).unwrap();
    assert_eq!(account.owner, vault::ID);
    Receipt::unpack(&account.data).unwrap().amount
}

#[test]
fn vault_deposit_and_withdraw_round_trip() {
    let (mut rt, alice, _) = vault_world();
    let receipt_rent = rent(&rt, Receipt::LEN);
    let before = rt.balance(&alice.pubkey());

    deposit(&mut rt, &alice, MINT_A, VAULT_A, ALICE_A, 400);
    assert_eq!(tokens(&rt, &key(ALICE_A)), 600);
    assert_eq!(tokens(&rt, &key(VAULT_A)), 400);
    assert_eq!(receipt(&rt, MINT_A, &alice), 400);
    // The first deposit created the receipt, rent paid by the user.
    assert_eq!(rt.balance(&alice.pubkey()), before - FEE - receipt_rent);

    deposit(&mut rt, &alice, MINT_A, VAULT_A, ALICE_A, 100);
    assert_eq!(receipt(&rt, MINT_A, &alice), 500);

    let ix = vault::instruction::withdraw(
        &alice.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(ALICE_A),
        150,
    );
    let r = send(&mut rt, &[ix], &alice);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
    assert!(
        r.logs
            .iter()
            .any(|l| l == "Program log: withdraw 150 (receipt 350)"),
        "{:#?}",
        r.logs
    );
    assert_eq!(tokens(&rt, &key(ALICE_A)), 650);
    assert_eq!(tokens(&rt, &key(VAULT_A)), 350);
    assert_eq!(receipt(&rt, MINT_A, &alice), 350);

    let ix = vault::instruction::withdraw(
        &alice.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(ALICE_A),
        350,
    );
    let r = send(&mut rt, &[ix], &alice);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
    assert_eq!(tokens(&rt, &key(ALICE_A)), 1_000);
    assert_eq!(tokens(&rt, &key(VAULT_A)), 0);
    assert_eq!(receipt(&rt, MINT_A, &alice), 0);
}

#[test]
fn vault_deposit_survives_a_prefunded_receipt_address() {
    let (mut rt, alice, mallory) = vault_world();
    let (address, _) = vault::receipt_address(&key(MINT_A), &alice.pubkey());
    // Mallory sends lamports to Alice's future receipt, which CreateAccount
    // would refuse; the deposit tops up, allocates and assigns instead.
    let prefund = rent(&rt, 0);
    let ix = baton::system::instruction::transfer(&mallory.pubkey(), &address, prefund);
    assert_eq!(send(&mut rt, &[ix], &mallory).status, Ok(()));
    deposit(&mut rt, &alice, MINT_A, VAULT_A, ALICE_A, 10);
    assert_eq!(receipt(&rt, MINT_A, &alice), 10);
    assert_eq!(rt.balance(&address), rent(&rt, Receipt::LEN));
}

#[test]
fn vault_withdraw_with_a_wrong_bump_is_a_privilege_escalation() {
    let (mut rt, alice, _) = vault_world();
    deposit(&mut rt, &alice, MINT_A, VAULT_A, ALICE_A, 400);
    let (authority, bump) = vault::vault_authority(&key(MINT_A));
    // A lower bump that still gives an off-curve address: the seeds sign
    // for that address, not for the vault's authority.
    let wrong = (1..bump)
        .rev()
        .find(|b| {
            pda::create_program_address(
                &[vault::VAULT_SEED, key(MINT_A).as_ref(), &[*b]],
                &vault::ID,
            )
            .is_ok()
        })
        .unwrap();
    let ix = vault::instruction::withdraw_with(
        &alice.pubkey(),
        &key(MINT_A),
        &authority,
        &key(VAULT_A),
        &key(ALICE_A),
        100,
        wrong,
    );
    let lamports = rt.balance(&alice.pubkey());
    let r = send(&mut rt, &[ix], &alice);
    failed_with(&r, InstructionError::PrivilegeEscalation);
    assert_eq!(tokens(&rt, &key(VAULT_A)), 400);
    assert_eq!(tokens(&rt, &key(ALICE_A)), 600);
    assert_eq!(
        receipt(&rt, MINT_A, &alice),
        400,
        "the receipt debit is rolled back"
    );
    assert_eq!(rt.balance(&alice.pubkey()), lamports - FEE);
}

#[test]
fn vault_withdraw_with_another_mints_seeds_is_a_privilege_escalation() {
    let (mut rt, alice, mallory) = vault_world();
    deposit(&mut rt, &alice, MINT_A, VAULT_A, ALICE_A, 400);
    // Mallory holds a genuine receipt for mint B and names mint B, but
    // points the withdrawal at mint A's vault and authority.
    deposit(&mut rt, &mallory, MINT_B, VAULT_B, MALLORY_B, 1_000);
    let (authority_a, bump_a) = vault::vault_authority(&key(MINT_A));
    let (_, bump_b) = vault::vault_authority(&key(MINT_B));
    for bump in [bump_a, bump_b] {
        let ix = vault::instruction::withdraw_with(
            &mallory.pubkey(),
            &key(MINT_B),
            &authority_a,
            &key(VAULT_A),
            &key(MALLORY_A),
            400,
            bump,
        );
        let r = send(&mut rt, &[ix], &mallory);
        let err = r.status.unwrap_err();
        // Seeds [b"vault", B, bump] derive B's authority (or, for A's bump,
        // perhaps no valid address at all), never A's.
        assert!(
            matches!(
                err,
                TransactionError::InstructionError(
                    0,
                    InstructionError::PrivilegeEscalation
                        | InstructionError::ProgramFailedToComplete
                )
            ),
            "{err:?}"
        );
        if bump == bump_b {
            assert_eq!(
                err,
                TransactionError::InstructionError(0, InstructionError::PrivilegeEscalation)
            );
        }
    }
    assert_eq!(tokens(&rt, &key(VAULT_A)), 400);
    assert_eq!(tokens(&rt, &key(MALLORY_A)), 100);
    assert_eq!(receipt(&rt, MINT_B, &mallory), 1_000);
}

#[test]
fn vault_withdraw_rejects_attackers() {
    let (mut rt, alice, mallory) = vault_world();
    deposit(&mut rt, &alice, MINT_A, VAULT_A, ALICE_A, 400);
    deposit(&mut rt, &mallory, MINT_A, VAULT_A, MALLORY_A, 10);

    // Mallory passes herself as the vault authority: she signs, but the
    // vault token account is not hers → the token program's OwnerMismatch.
    let (_, bump) = vault::vault_authority(&key(MINT_A));
    let ix = vault::instruction::withdraw_with(
        &mallory.pubkey(),
        &key(MINT_A),
        &mallory.pubkey(),
        &key(VAULT_A),
        &key(MALLORY_A),
        10,
        bump,
    );
    failed_with(
        &send(&mut rt, &[ix], &mallory),
        TokenError::OwnerMismatch.into(),
    );

    // More than her deposit → InsufficientDeposit.
    let ix = vault::instruction::withdraw(
        &mallory.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(MALLORY_A),
        11,
    );
    failed_with(
        &send(&mut rt, &[ix], &mallory),
        VaultError::InsufficientDeposit.into(),
    );

    // Alice's receipt under Mallory's signature: the receipt is not
    // Mallory's PDA → InvalidSeeds.
    let mut ix = vault::instruction::withdraw(
        &mallory.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(MALLORY_A),
        400,
    );
    ix.accounts[2].pubkey = vault::receipt_address(&key(MINT_A), &alice.pubkey()).0;
    failed_with(
        &send(&mut rt, &[ix], &mallory),
        InstructionError::InvalidSeeds,
    );

    // A user with no receipt at all → InvalidAccountOwner.
    let eve = kp(3);
    rt.airdrop(&eve.pubkey(), SOL).unwrap();
    let ix = vault::instruction::withdraw(
        &eve.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(MALLORY_A),
        1,
    );
    failed_with(
        &send(&mut rt, &[ix], &eve),
        InstructionError::InvalidAccountOwner,
    );

    // Zero → ZeroAmount.
    let ix = vault::instruction::withdraw(
        &mallory.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(MALLORY_A),
        0,
    );
    failed_with(
        &send(&mut rt, &[ix], &mallory),
        VaultError::ZeroAmount.into(),
    );

    assert_eq!(tokens(&rt, &key(VAULT_A)), 410);
    assert_eq!(receipt(&rt, MINT_A, &alice), 400);
    assert_eq!(receipt(&rt, MINT_A, &mallory), 10);
}

#[test]
fn vault_deposit_errors() {
    let (mut rt, alice, _) = vault_world();
    // More tokens than Alice holds: the token program's InsufficientFunds,
    // and the receipt creation is rolled back with it.
    let ix = vault::instruction::deposit(
        &alice.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(ALICE_A),
        1_001,
    );
    failed_with(
        &send(&mut rt, &[ix], &alice),
        TokenError::InsufficientFunds.into(),
    );
    let (address, _) = vault::receipt_address(&key(MINT_A), &alice.pubkey());
    assert_eq!(rt.account(&address), None);

    // Mint B's vault for a mint A deposit → InvalidVault.
    let ix = vault::instruction::deposit(
        &alice.pubkey(),
        &key(MINT_A),
        &key(VAULT_B),
        &key(ALICE_A),
        1,
    );
    failed_with(
        &send(&mut rt, &[ix], &alice),
        VaultError::InvalidVault.into(),
    );

    // Zero → ZeroAmount.
    let ix = vault::instruction::deposit(
        &alice.pubkey(),
        &key(MINT_A),
        &key(VAULT_A),
        &key(ALICE_A),
        0,
    );
    failed_with(&send(&mut rt, &[ix], &alice), VaultError::ZeroAmount.into());
    assert_eq!(tokens(&rt, &key(ALICE_A)), 1_000);
}

// ---------------------------------------------------------------- swap

const MINT_C: u8 = 3;
const USER_A: u8 = 70;
const USER_B: u8 = 71;
const USER_C: u8 = 72;

struct Pool {
    rt: Runtime,
    authority: Keypair,
    user: Keypair,
    pool: Pubkey,
    vault_a: Pubkey,
    vault_b: Pubkey,
}

impl Pool {
    fn reserves(&self) -> (u64, u64) {
        (
            tokens(&self.rt, &self.vault_a),
            tokens(&self.rt, &self.vault_b),
        )
    }

    fn user(&self, account: u8) -> u64 {
        tokens(&self.rt, &key(account))
    }

    fn swap(
        &mut self,
        source: u8,
        destination: u8,
        amount_in: u64,
        min_out: u64,
    ) -> baton::TransactionResult {
        let ix = swap::instruction::swap(
            &self.user.pubkey(),
            &key(MINT_A),
            &key(MINT_B),
            &key(source),
            &key(destination),
            amount_in,
            min_out,
        );
        send(&mut self.rt, &[ix], &self.user)
    }
}

/// A pool of (A, B) at 30 bps created by a transaction, its vaults funded
/// by token `MintTo`s (1,000,000 A, 2,000,000 B), and a user holding
/// 100,000 A, no B, and 5 of a third mint C.
fn pool_world() -> Pool {
    let mut rt = runtime();
    let (authority, user) = (kp(4), kp(5));
    rt.airdrop(&authority.pubkey(), SOL).unwrap();
    rt.airdrop(&user.pubkey(), SOL).unwrap();
    for mint in [MINT_A, MINT_B, MINT_C] {
        set_mint(&mut rt, key(mint), &authority.pubkey());
    }
    set_token(&mut rt, key(USER_A), key(MINT_A), &user.pubkey(), 100_000);
    set_token(&mut rt, key(USER_B), key(MINT_B), &user.pubkey(), 0);
    set_token(&mut rt, key(USER_C), key(MINT_C), &user.pubkey(), 5);

    let before = rt.balance(&authority.pubkey());
    let ix = swap::instruction::initialize(
        &authority.pubkey(),
        &key(MINT_A),
        &key(MINT_B),
        swap::DEFAULT_FEE_BPS,
    );
    let r = send(&mut rt, &[ix], &authority);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
    let (pool, bump) = swap::pool_address(&key(MINT_A), &key(MINT_B));
    let (vault_a, vault_a_bump) = swap::pool_vault_address(&pool, &key(MINT_A));
    let (vault_b, vault_b_bump) = swap::pool_vault_address(&pool, &key(MINT_B));
    assert_eq!(
        rt.balance(&authority.pubkey()),
        before - FEE - rent(&rt, PoolState::LEN) - 2 * rent(&rt, TokenAccount::LEN)
    );

    let pool_account = rt.account(&pool).unwrap();
    assert_eq!(pool_account.owner, swap::ID);
    assert_eq!(
        PoolState::unpack(&pool_account.data).unwrap(),
        PoolState {
            mint_a: key(MINT_A),
            mint_b: key(MINT_B),
            vault_a,
            vault_b,
            fee_bps: 30,
            bump,
            vault_a_bump,
            vault_b_bump,
        }
    );
    for (vault, mint) in [(vault_a, MINT_A), (vault_b, MINT_B)] {
        let account = rt.account(&vault).unwrap();
        assert_eq!(account.owner, token::ID);
        let state = TokenAccount::unpack(&account.data).unwrap();
        assert_eq!(
            (state.mint, state.owner, state.amount),
            (key(mint), pool, 0)
        );
    }

    let funding = [
        tok::mint_to(&key(MINT_A), &vault_a, &authority.pubkey(), 1_000_000),
        tok::mint_to(&key(MINT_B), &vault_b, &authority.pubkey(), 2_000_000),
    ];
    let r = send(&mut rt, &funding, &authority);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
    Pool {
        rt,
        authority,
        user,
        pool,
        vault_a,
        vault_b,
    }
}

#[test]
fn swap_pays_the_exact_constant_product_output_both_ways() {
    let mut p = pool_world();
    let r = p.swap(USER_A, USER_B, 10_000, 19_743);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
    // 10,000 · 9,970 · 2,000,000 / (1,000,000 · 10,000 + 10,000 · 9,970) = 19,743.
    assert_eq!(
        r.return_data,
        Some((swap::ID, 19_743u64.to_le_bytes().to_vec()))
    );
    assert_eq!((p.user(USER_A), p.user(USER_B)), (90_000, 19_743));
    assert_eq!(p.reserves(), (1_010_000, 1_980_257));
    assert!(r
        .logs
        .iter()
        .any(|l| l == "Program log: swap 10000 in, 19743 out"));

    // Back: 19,743 B buys 9,940 A; the fees stay in the pool.
    let r = p.swap(USER_B, USER_A, 19_743, 0);
    assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
    assert_eq!((p.user(USER_A), p.user(USER_B)), (99_940, 0));
    assert_eq!(p.reserves(), (1_000_060, 2_000_000));
}

#[test]
fn swap_below_min_out_changes_nothing_but_the_fee() {
    let mut p = pool_world();
    let lamports = p.rt.balance(&p.user.pubkey());
    let r = p.swap(USER_A, USER_B, 10_000, 19_744);
    failed_with(&r, SwapError::SlippageExceeded.into());
    assert_eq!((p.user(USER_A), p.user(USER_B)), (100_000, 0));
    assert_eq!(p.reserves(), (1_000_000, 2_000_000));
    assert_eq!(p.rt.balance(&p.user.pubkey()), lamports - FEE);
}

#[test]
fn swap_rejects_zero_and_dust() {
    let mut p = pool_world();
    failed_with(&p.swap(USER_A, USER_B, 0, 0), SwapError::ZeroAmount.into());
    // One B buys less than one A: the output rounds down to zero.
    let mut p2 = pool_world();
    set_token(&mut p2.rt, key(USER_B), key(MINT_B), &p2.user.pubkey(), 1);
    failed_with(&p2.swap(USER_B, USER_A, 1, 0), SwapError::ZeroAmount.into());
    assert_eq!(p.reserves(), (1_000_000, 2_000_000));
}

#[test]
fn swap_rejects_wrong_pools_vaults_and_mints() {
    let mut p = pool_world();
    let user = p.user.pubkey();
    let payer = kp(5);
    let run = |p: &mut Pool, ix: Instruction| send(&mut p.rt, &[ix], &payer);

    // The (B, A) pool was never created.
    let (reversed, _) = swap::pool_address(&key(MINT_B), &key(MINT_A));
    let ix = swap::instruction::swap_with(
        &user,
        &reversed,
        &p.vault_a,
        &p.vault_b,
        &key(USER_A),
        &key(USER_B),
        10,
        0,
    );
    failed_with(&run(&mut p, ix), SwapError::InvalidPool.into());

    // A forged pool account of this program at a non-PDA address, naming
    // the user's own accounts as vaults.
    let forged = key(88);
    let state = PoolState {
        mint_a: key(MINT_A),
        mint_b: key(MINT_B),
        vault_a: key(USER_A),
        vault_b: key(USER_B),
        fee_bps: 0,
        bump: 255,
        vault_a_bump: 0,
        vault_b_bump: 0,
    };
    let lamports = rent(&p.rt, PoolState::LEN);
    p.rt.set_account(
        forged,
        Account::with_data(lamports, state.to_bytes().to_vec(), &swap::ID),
    )
    .unwrap();
    let ix = swap::instruction::swap_with(
        &user,
        &forged,
        &key(USER_A),
        &key(USER_B),
        &key(USER_A),
        &key(USER_B),
        10,
        0,
    );
    failed_with(&run(&mut p, ix), SwapError::InvalidPool.into());

    // The user's own token account in place of vault B.
    let ix = swap::instruction::swap_with(
        &user,
        &p.pool,
        &p.vault_a,
        &key(USER_B),
        &key(USER_A),
        &key(USER_B),
        10,
        0,
    );
    failed_with(&run(&mut p, ix), SwapError::InvalidVault.into());

    // Vaults swapped.
    let ix = swap::instruction::swap_with(
        &user,
        &p.pool,
        &p.vault_b,
        &p.vault_a,
        &key(USER_A),
        &key(USER_B),
        10,
        0,
    );
    failed_with(&run(&mut p, ix), SwapError::InvalidVault.into());

    // A source of a third mint; a destination of the source's mint.
    failed_with(&p.swap(USER_C, USER_B, 5, 0), SwapError::InvalidMint.into());
    failed_with(&p.swap(USER_A, USER_A, 5, 0), SwapError::InvalidMint.into());

    assert_eq!(p.reserves(), (1_000_000, 2_000_000));
    assert_eq!((p.user(USER_A), p.user(USER_B)), (100_000, 0));
}

#[test]
fn swap_initialize_errors() {
    let mut p = pool_world();
    let authority = p.authority.pubkey();
    let run = |p: &mut Pool, ix: Instruction| send(&mut p.rt, &[ix], &p.authority);
    // Again (another fee, so another signature) → AlreadyInitialized.
    let ix = swap::instruction::initialize(&authority, &key(MINT_A), &key(MINT_B), 31);
    failed_with(&run(&mut p, ix), SwapError::AlreadyInitialized.into());
    // Same mint twice → InvalidMint; fee of 100 % → InvalidFee.
    let ix = swap::instruction::initialize(&authority, &key(MINT_C), &key(MINT_C), 30);
    failed_with(&run(&mut p, ix), SwapError::InvalidMint.into());
    let ix = swap::instruction::initialize(&authority, &key(MINT_A), &key(MINT_C), 10_000);
    failed_with(&run(&mut p, ix), SwapError::InvalidFee.into());
    // A pool address that is not the PDA of its mints → InvalidPool.
    let mut ix = swap::instruction::initialize(&authority, &key(MINT_A), &key(MINT_C), 30);
    ix.accounts[1].pubkey = key(89);
    failed_with(&run(&mut p, ix), SwapError::InvalidPool.into());
    // A vault not at its PDA → InvalidVault.
    let mut ix = swap::instruction::initialize(&authority, &key(MINT_A), &key(MINT_C), 30);
    ix.accounts[5].pubkey = key(90);
    failed_with(&run(&mut p, ix), SwapError::InvalidVault.into());
    // A mint that is not a token mint → InvalidAccountOwner.
    let ix = swap::instruction::initialize(&authority, &key(MINT_A), &key(91), 30);
    failed_with(&run(&mut p, ix), InstructionError::InvalidAccountOwner);
}

#[test]
fn swap_against_an_empty_pool_is_insufficient_liquidity() {
    let mut rt = runtime();
    let (authority, user) = (kp(4), kp(5));
    rt.airdrop(&authority.pubkey(), SOL).unwrap();
    rt.airdrop(&user.pubkey(), SOL).unwrap();
    for mint in [MINT_A, MINT_B] {
        set_mint(&mut rt, key(mint), &authority.pubkey());
    }
    set_token(&mut rt, key(USER_A), key(MINT_A), &user.pubkey(), 100);
    set_token(&mut rt, key(USER_B), key(MINT_B), &user.pubkey(), 0);
    let ix = swap::instruction::initialize(&authority.pubkey(), &key(MINT_A), &key(MINT_B), 30);
    assert_eq!(send(&mut rt, &[ix], &authority).status, Ok(()));
    let ix = swap::instruction::swap(
        &user.pubkey(),
        &key(MINT_A),
        &key(MINT_B),
        &key(USER_A),
        &key(USER_B),
        10,
        0,
    );
    failed_with(
        &send(&mut rt, &[ix], &user),
        SwapError::InsufficientLiquidity.into(),
    );
}

#[test]
fn swap_batch_matches_sequential_prices_and_k_never_decreases() {
    let mut p = pool_world();
    // Eight traders, alternating directions, in one batch: they all touch
    // the pool, so they run in batch order.
    let traders: Vec<Keypair> = (20..28).map(kp).collect();
    let mut txs = Vec::new();
    let mut expected = Vec::new();
    let (mut ra, mut rb) = p.reserves();
    for (i, t) in traders.iter().enumerate() {
        p.rt.airdrop(&t.pubkey(), SOL).unwrap();
        let (ta, tb) = (key(100 + i as u8), key(150 + i as u8));
        set_token(&mut p.rt, ta, key(MINT_A), &t.pubkey(), 50_000);
        set_token(&mut p.rt, tb, key(MINT_B), &t.pubkey(), 50_000);
        let amount = 1_000 * (i as u64 + 1);
        let (source, destination) = if i % 2 == 0 { (ta, tb) } else { (tb, ta) };
        let ix = swap::instruction::swap(
            &t.pubkey(),
            &key(MINT_A),
            &key(MINT_B),
            &source,
            &destination,
            amount,
            1,
        );
        txs.push(
            Transaction::new_signed_with_payer(
                &[ix],
                Some(&t.pubkey()),
                &[t],
                p.rt.latest_blockhash(),
            )
            .unwrap(),
        );
        let out = if i % 2 == 0 {
            let out = curve::amount_out(ra, rb, amount, 30).unwrap();
            let k0 = u128::from(ra) * u128::from(rb);
            ra += amount;
            rb -= out;
            assert!(u128::from(ra) * u128::from(rb) >= k0);
            out
        } else {
            let out = curve::amount_out(rb, ra, amount, 30).unwrap();
            let k0 = u128::from(ra) * u128::from(rb);
            rb += amount;
            ra -= out;
            assert!(u128::from(ra) * u128::from(rb) >= k0);
            out
        };
        expected.push(out);
    }
    let k_before = {
        let (a, b) = p.reserves();
        u128::from(a) * u128::from(b)
    };
    let results = p.rt.execute_batch(&txs);
    for (r, out) in results.iter().zip(&expected) {
        assert_eq!(r.status, Ok(()), "{:#?}", r.logs);
        assert_eq!(r.return_data, Some((swap::ID, out.to_le_bytes().to_vec())));
    }
    assert_eq!(p.reserves(), (ra, rb));
    let (a, b) = p.reserves();
    assert!(u128::from(a) * u128::from(b) > k_before);
}
