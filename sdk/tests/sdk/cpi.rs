//! The typed CPI wrappers of the system and token programs, and the
//! generic invoke.

use super::*;

#[test]
fn system_transfer_wrapper_moves_lamports() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(
        &accounts,
        &probe_ix(4, &300u64.to_le_bytes(), metas.clone()),
    );
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(acc(&out, &ALICE).lamports, 700);
    assert_eq!(acc(&out, &BOB).lamports, 300);
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains(&format!("Program {} invoke [2]", system::ID))));

    // The funder did not sign the outer instruction → PrivilegeEscalation.
    let mut unsigned = metas.clone();
    unsigned[0].is_signer = false;
    let out = env.run(&accounts, &probe_ix(4, &300u64.to_le_bytes(), unsigned));
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    assert_unchanged(&out, &accounts);

    // The callee's own error comes back: too poor → Custom(1).
    let out = env.run(&accounts, &probe_ix(4, &2_000u64.to_le_bytes(), metas));
    assert_eq!(out.result, Err(InstructionError::Custom(1)));
    assert_unchanged(&out, &accounts);
}

#[test]
fn generic_invoke_calls_any_program() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(14, &250u64.to_le_bytes(), metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(acc(&out, &BOB).lamports, 250);
}

#[test]
fn wrappers_check_the_program_account() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(16, &[], metas));
    assert_eq!(out.result, Err(InstructionError::IncorrectProgramId));
}

#[test]
fn create_account_and_assign_sign_with_pda_seeds() {
    let env = Env::new();
    let (pda, _) = probe_pda();
    let rent = env.rent(16);
    let accounts = vec![(ALICE, sys(rent + 10)), (pda, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(pda, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(5, &rent.to_le_bytes(), metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let created = acc(&out, &pda);
    assert_eq!(
        (created.lamports, created.data.len(), created.owner),
        (rent, 16, PROBE)
    );
    assert_eq!(acc(&out, &ALICE).lamports, 10);

    // Allocate + assign of a funded system-owned PDA.
    let accounts = vec![(pda, sys(rent))];
    let metas = vec![
        AccountMeta::new(pda, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(6, &[], metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let a = acc(&out, &pda);
    assert_eq!((a.data.len(), a.owner), (4, PROBE));
}

// ---------------------------------------------------------------- token CPIs

fn token_env() -> (Env, Vec<(Pubkey, Account)>) {
    let env = Env::new();
    let accounts = vec![
        (MINT, mint_account(&env)),
        (A, token_account(&env, &ALICE, 100)),
        (B, token_account(&env, &BOB, 0)),
    ];
    (env, accounts)
}

#[test]
fn token_transfer_wrapper_with_user_and_pda_authority() {
    let (env, mut accounts) = token_env();
    let metas = |authority: Pubkey| {
        vec![
            AccountMeta::new(A, false),
            AccountMeta::new(B, false),
            AccountMeta::new_readonly(authority, true),
            AccountMeta::new_readonly(token::ID, false),
        ]
    };
    let out = env.run(&accounts, &probe_ix(7, &30u64.to_le_bytes(), metas(ALICE)));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!((balance(&out, &A), balance(&out, &B)), (70, 30));

    // A token account held by the probe PDA: the PDA signs through the
    // seeds; not signed by the top level.
    let (pda, _) = probe_pda();
    accounts[1].1 = token_account(&env, &pda, 100);
    let mut pda_metas = metas(pda);
    pda_metas[2].is_signer = false;
    let mut args = 30u64.to_le_bytes().to_vec();
    args.push(0); // the canonical bump
    let out = env.run(&accounts, &probe_ix(7, &args, pda_metas.clone()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!((balance(&out, &A), balance(&out, &B)), (70, 30));

    // Without seeds the PDA's signature is missing.
    let out = env.run(
        &accounts,
        &probe_ix(7, &30u64.to_le_bytes(), pda_metas.clone()),
    );
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    assert_unchanged(&out, &accounts);

    // With another bump the seeds sign for another address (or none).
    let (_, bump) = probe_pda();
    let other = (1..bump)
        .rev()
        .find(|b| pda::create_program_address(&[b"probe", &[*b]], &PROBE).is_ok())
        .unwrap();
    let mut args = 30u64.to_le_bytes().to_vec();
    args.push(other.wrapping_sub(bump));
    let out = env.run(&accounts, &probe_ix(7, &args, pda_metas));
    assert_eq!(out.result, Err(InstructionError::PrivilegeEscalation));
    assert_unchanged(&out, &accounts);
}

#[test]
fn token_mint_burn_and_checked_transfer_wrappers() {
    let (env, accounts) = token_env();
    let mint_metas = vec![
        AccountMeta::new(MINT, false),
        AccountMeta::new(B, false),
        AccountMeta::new_readonly(MINT_AUTH, true),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(8, &50u64.to_le_bytes(), mint_metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(balance(&out, &B), 50);
    assert_eq!(Mint::unpack(&acc(&out, &MINT).data).unwrap().supply, 1_050);

    let burn_metas = vec![
        AccountMeta::new(A, false),
        AccountMeta::new(MINT, false),
        AccountMeta::new_readonly(ALICE, true),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(9, &40u64.to_le_bytes(), burn_metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(balance(&out, &A), 60);
    assert_eq!(Mint::unpack(&acc(&out, &MINT).data).unwrap().supply, 960);

    let checked = vec![
        AccountMeta::new(A, false),
        AccountMeta::new_readonly(MINT, false),
        AccountMeta::new(B, false),
        AccountMeta::new_readonly(ALICE, true),
        AccountMeta::new_readonly(token::ID, false),
    ];
    let mut args = 25u64.to_le_bytes().to_vec();
    args.push(DECIMALS);
    let out = env.run(&accounts, &probe_ix(10, &args, checked.clone()));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!((balance(&out, &A), balance(&out, &B)), (75, 25));
    args[8] = DECIMALS + 1;
    let out = env.run(&accounts, &probe_ix(10, &args, checked));
    assert_eq!(out.result, Err(TokenError::MintDecimalsMismatch.into()));
    assert_unchanged(&out, &accounts);
}
