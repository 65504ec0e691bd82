//! Borrows held across a CPI; return data and logs through a CPI.

use super::*;

#[test]
fn handle_read_after_a_cpi_sees_the_callee_write() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(5))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(13, &100u64.to_le_bytes(), metas));
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    let (_, data) = out.return_data.unwrap();
    assert_eq!(data[..8], 5u64.to_le_bytes());
    assert_eq!(data[8..], 105u64.to_le_bytes());
}

#[test]
fn mutable_guard_held_across_a_cpi_fails_the_call() {
    let env = Env::new();
    let accounts = vec![
        (OWNED, Account::new(10, 4, &PROBE)),
        (ALICE, sys(1_000)),
        (BOB, sys(0)),
    ];
    let metas = vec![
        AccountMeta::new(OWNED, false),
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(11, &[], metas));
    // The executor sums the caller's lamports at the CPI's entry [3] and
    // finds the account still borrowed (Agave's error for this).
    assert_eq!(out.result, Err(InstructionError::AccountBorrowOutstanding));
    assert_unchanged(&out, &accounts);
}

#[test]
fn shared_guard_held_across_a_cpi_fails_the_callee_borrow() {
    let env = Env::new();
    let accounts = vec![(ALICE, sys(1_000)), (BOB, sys(0))];
    let metas = vec![
        AccountMeta::new(ALICE, true),
        AccountMeta::new(BOB, false),
        AccountMeta::new_readonly(system::ID, false),
    ];
    let out = env.run(&accounts, &probe_ix(12, &[], metas));
    assert_eq!(out.result, Err(InstructionError::AccountBorrowFailed));
    assert!(out
        .logs
        .iter()
        .any(|l| l.contains(&format!("Program {} failed", system::ID))));
    assert_unchanged(&out, &accounts);
}

// ---------------------------------------------------------------- return data and logs

#[test]
fn return_data_and_logs_round_trip_through_a_cpi() {
    let env = Env::new();
    let out = env.run(
        &[],
        &probe_ix(17, &[7, 8, 9], vec![AccountMeta::new_readonly(ECHO, false)]),
    );
    assert_eq!(out.result, Ok(()), "{:#?}", out.logs);
    assert_eq!(out.return_data, Some((PROBE, vec![7, 8, 9, 7, 8, 9])));
    assert!(
        out.logs.contains(&"Program log: echo 3".to_string()),
        "{:#?}",
        out.logs
    );
    assert!(out
        .logs
        .contains(&format!("Program log: echo {ECHO} returned 3 bytes")));
}
