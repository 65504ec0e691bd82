//! Account handles: keys, flags and state, data guards, reallocation and
//! assignment, lamport moves, the standard checks, account counting.

use super::*;

#[test]
fn handles_report_keys_flags_and_state() {
    let env = Env::new();
    let accounts = vec![
        (ALICE, sys(500)),
        (OWNED, Account::new(7, 3, &PROBE)),
        (BOB, sys(0)),
    ];
    let ix = probe_ix(
        0,
        &[],
        vec![
            AccountMeta::new(ALICE, true),
            AccountMeta::new_readonly(OWNED, false),
            AccountMeta::new(BOB, false),
            AccountMeta::new_readonly(ALICE, false),
        ],
    );
    let out = env.run(&accounts, &ix);
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let (program, report) = out.return_data.unwrap();
    assert_eq!(program, PROBE);
    let mut want = Vec::new();
    for (signer, writable, lamports, len, owner0) in [
        (1u8, 1u8, 500u64, 0u8, 0u8),
        (0, 0, 7, 3, 0xAB),
        (0, 1, 0, 0, 0),
        // The duplicate takes the merged flags of its first occurrence.
        (1, 1, 500, 0, 0),
    ] {
        want.extend_from_slice(&[signer, writable]);
        want.extend_from_slice(&lamports.to_le_bytes());
        want.extend_from_slice(&[len, owner0]);
    }
    assert_eq!(report, want);
}

#[test]
fn handle_and_cpi_context_are_copy() {
    fn assert_copy<T: Copy>() {}
    assert_copy::<AccountHandle<'_>>();
    assert_copy::<CpiContext<'_, '_, sdk::system::Transfer<'_>>>();
}

#[test]
fn data_guard_writes_through_the_mutation_rules() {
    let env = Env::new();
    let owned = vec![(OWNED, Account::new(10, 4, &PROBE))];
    let out = env.run(
        &owned,
        &probe_ix(1, &[1, 2, 3], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Ok(()));
    assert_eq!(acc(&out, &OWNED).data, vec![1, 2, 3, 0]);

    // Read-only → ReadonlyDataModified; not ours → ExternalAccountDataModified.
    let out = env.run(
        &owned,
        &probe_ix(1, &[1], vec![AccountMeta::new_readonly(OWNED, false)]),
    );
    assert_eq!(out.result, Err(InstructionError::ReadonlyDataModified));
    let foreign = vec![(OWNED, Account::new(10, 4, &system::ID))];
    let out = env.run(
        &foreign,
        &probe_ix(1, &[1], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
    assert_unchanged(&out, &foreign);
}

#[test]
fn realloc_and_assign_follow_the_rules() {
    let env = Env::new();
    let owned = vec![(OWNED, Account::new(env.rent(0), 4, &PROBE))];
    let out = env.run(
        &owned,
        &probe_ix(2, &[0, 1], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Ok(()));
    let a = acc(&out, &OWNED);
    assert_eq!((a.data.len(), a.owner), (0, system::ID));

    // Data left non-zero → ModifiedProgramId.
    let dirty = vec![(OWNED, Account::with_data(10, vec![0, 0, 0, 9], &PROBE))];
    let out = env.run(
        &dirty,
        &probe_ix(2, &[4, 1], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(out.result, Err(InstructionError::ModifiedProgramId));
    // Growing past 10 KiB in one instruction → InvalidRealloc is the
    // executor's; here: a foreign account cannot be resized (the
    // data-change check, after the length limits).
    let foreign = vec![(OWNED, Account::new(10, 4, &system::ID))];
    let out = env.run(
        &foreign,
        &probe_ix(2, &[8], vec![AccountMeta::new(OWNED, false)]),
    );
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountDataModified)
    );
}

#[test]
fn direct_lamport_moves_need_ownership() {
    let env = Env::new();
    let accounts = vec![
        (OWNED, Account::new(100, 0, &PROBE)),
        (OWNED2, Account::new(5, 0, &PROBE)),
    ];
    let metas = vec![
        AccountMeta::new(OWNED, false),
        AccountMeta::new(OWNED2, false),
    ];
    let out = env.run(&accounts, &probe_ix(3, &40u64.to_le_bytes(), metas.clone()));
    assert_eq!(out.result, Ok(()));
    assert_eq!(acc(&out, &OWNED).lamports, 60);
    assert_eq!(acc(&out, &OWNED2).lamports, 45);

    let out = env.run(&accounts, &probe_ix(3, &101u64.to_le_bytes(), metas));
    assert_eq!(out.result, Err(InstructionError::ArithmeticOverflow));

    let foreign = vec![(ALICE, sys(100)), (OWNED2, Account::new(5, 0, &PROBE))];
    let metas = vec![
        AccountMeta::new(ALICE, false),
        AccountMeta::new(OWNED2, false),
    ];
    let out = env.run(&foreign, &probe_ix(3, &1u64.to_le_bytes(), metas));
    assert_eq!(
        out.result,
        Err(InstructionError::ExternalAccountLamportSpend)
    );
    assert_unchanged(&out, &foreign);
}

#[test]
fn checks_return_the_standard_errors() {
    let env = Env::new();
    let accounts = vec![(BOB, Account::new(1, 0, &PROBE))];
    let check = |which: u8, meta: AccountMeta| {
        env.run(&accounts, &probe_ix(15, &[which], vec![meta]))
            .result
    };
    let ro = AccountMeta::new_readonly(BOB, false);
    assert_eq!(
        check(0, ro),
        Err(InstructionError::MissingRequiredSignature)
    );
    assert_eq!(check(0, AccountMeta::new_readonly(BOB, true)), Ok(()));
    assert_eq!(check(1, ro), Err(InstructionError::InvalidArgument));
    assert_eq!(check(1, AccountMeta::new(BOB, false)), Ok(()));
    assert_eq!(check(2, ro), Err(InstructionError::InvalidAccountOwner));
    assert_eq!(check(3, ro), Err(InstructionError::IncorrectProgramId));
    assert_eq!(check(4, ro), Err(InstructionError::InvalidArgument));
    assert_eq!(check(5, ro), Err(InstructionError::InvalidSeeds));
    let (pda, _) = probe_pda();
    let out = env.run(
        &[(pda, sys(0))],
        &probe_ix(15, &[5], vec![AccountMeta::new_readonly(pda, false)]),
    );
    assert_eq!(out.result, Ok(()));
    let out = env.run(
        &[(ALICE, sys(0))],
        &probe_ix(15, &[4], vec![AccountMeta::new_readonly(ALICE, false)]),
    );
    assert_eq!(out.result, Ok(()));
    let out = env.run(
        &[(ALICE, sys(0))],
        &probe_ix(15, &[2], vec![AccountMeta::new_readonly(ALICE, false)]),
    );
    assert_eq!(out.result, Ok(()));
}

#[test]
fn expect_accounts_and_iterators_count() {
    let env = Env::new();
    let two = vec![AccountMeta::new(ALICE, false), AccountMeta::new(BOB, false)];
    let accounts = vec![(ALICE, sys(1)), (BOB, sys(1))];
    // expect_accounts::<3> with two accounts.
    let out = env.run(&accounts, &probe_ix(4, &1u64.to_le_bytes(), two.clone()));
    assert_eq!(out.result, Err(InstructionError::NotEnoughAccountKeys));
    let out = env.run(&accounts, &probe_ix(18, &[], two.clone()));
    assert_eq!(out.result, Err(InstructionError::NotEnoughAccountKeys));
    let mut three = two;
    three.push(AccountMeta::new_readonly(system::ID, false));
    let out = env.run(&accounts, &probe_ix(18, &[], three));
    assert_eq!(out.result, Ok(()));
    assert!(
        out.logs.iter().any(|l| l.ends_with("left 0")),
        "{:#?}",
        out.logs
    );
}
