//! The swap pool end to end: creation, exact-output swaps, failed swaps
//! that cost only the fee, wrong pools, vaults and mints, and the pool
//! invariant over a batch.

use super::*;

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
