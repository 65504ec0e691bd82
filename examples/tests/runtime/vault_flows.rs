//! The vault end to end: deposits, withdrawals signed by the vault PDA,
//! and what is refused.

use super::*;

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
